#!/bin/bash
# `devcontainer features test` runs this in a container built with the feature's default options.
set -e

# shellcheck source=/dev/null
source dev-container-features-test-lib

check "kubectl-ksync runs" bash -c "kubectl-ksync version | grep -q 'Client version: '"
check "kubectl finds the plugin" bash -c "kubectl plugin list 2>/dev/null | grep -q /usr/local/bin/kubectl-ksync"
check "kubectl ksync version" bash -c "kubectl ksync version | grep -q 'Client version: '"
check "completion helper answers" bash -c "kubectl_complete-ksync '' | grep -q '^create'"
check "completion through kubectl" bash -c "kubectl __complete ksync '' 2>/dev/null | grep -q '^delete'"
check "syncthing installed" bash -c "syncthing --version | grep -q '^syncthing v'"
check "auto-start enabled" grep -q '^KSYNC_AUTOSTART=true$' /usr/local/share/ksync/feature.env
check "start script installed" test -x /usr/local/share/ksync/start-watch.sh
check "start script returns at once without a kubeconfig" bash -c "KUBECONFIG=/nonexistent /usr/local/share/ksync/start-watch.sh"

reportResults
