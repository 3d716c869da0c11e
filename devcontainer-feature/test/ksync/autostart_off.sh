#!/bin/bash
# Scenario autostart_off: the start script must stand down and say so.
set -e

# shellcheck source=/dev/null
source dev-container-features-test-lib

check "auto-start disabled" grep -q '^KSYNC_AUTOSTART=false$' /usr/local/share/ksync/feature.env
mkdir -p "$HOME/.kube" && printf 'apiVersion: v1\nkind: Config\n' > "$HOME/.kube/config.autostart-test"
check "start script stands down" bash -c "KUBECONFIG=$HOME/.kube/config.autostart-test /usr/local/share/ksync/start-watch.sh && for i in \$(seq 1 50); do grep -q 'autoStart is off' \$HOME/.ksync/autostart.log 2>/dev/null && exit 0; sleep 0.2; done; exit 1"

reportResults
