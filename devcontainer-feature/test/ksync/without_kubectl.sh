#!/bin/bash
# Scenario without_kubectl: installKubectl=false leaves kubectl out; the plugin still runs on its own.
set -e

# shellcheck source=/dev/null
source dev-container-features-test-lib

check "kubectl-ksync runs" bash -c "kubectl-ksync version | grep -q 'Client version: '"
check "no kubectl installed by the feature" bash -c "! test -e /usr/local/bin/kubectl"
check "syncthing skipped" bash -c "! command -v syncthing"

reportResults
