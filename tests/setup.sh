#!/usr/bin/env bash
# Installs what the tests and the lab need on a fresh Debian 12 machine (run as root; idempotent):
# the Docker engine, syncthing, containerd and runc, the CNI loopback plugin (the lab's containerd node), a static
# busybox for images, debootstrap, zip and npm (release archives; the Dev Containers CLI), python3 (the failed-test list at the end of tests/run.sh), and the NuGet packages. The .NET SDK and kubectl are expected on the machine already.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for pair in dockerd:docker.io syncthing:syncthing containerd:containerd runc:runc /bin/busybox:busybox-static \
            /usr/lib/cni/loopback:containernetworking-plugins \
            debootstrap:debootstrap ip:iproute2 curl:curl unshare:util-linux zip:zip npm:npm python3:python3; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  # An absolute name is checked as a file; a bare name on PATH or in /usr/sbin (never relative to the checkout,
  # whose syncthing/ folder would otherwise count as an installed syncthing).
  if [ "${cmd#/}" != "$cmd" ]; then found=$([ -f "$cmd" ] && echo yes || true)
  else found=$({ command -v "$cmd" >/dev/null 2>&1 || [ -f "/usr/sbin/$cmd" ]; } && echo yes || true); fi
  if [ -z "$found" ]; then
    need_apt+=("$pkg")
  fi
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
command -v kubectl >/dev/null || echo "setup: warning: kubectl is not on PATH; tests that go through kubectl will fail" >&2

# The Dev Containers CLI for the feature's tests (`devcontainer features package|test`), in a local prefix.
devcontainer_cli=artifacts/tools/devcontainer-cli
if [ ! -x "$devcontainer_cli/node_modules/.bin/devcontainer" ]; then
  echo "setup: installing @devcontainers/cli into $devcontainer_cli"
  mkdir -p "$devcontainer_cli"
  npm install --prefix "$devcontainer_cli" --no-audit --no-fund --loglevel=error @devcontainers/cli@0.89.0 >/dev/null
fi

echo "setup: restoring NuGet packages"
dotnet restore KSync.sln --nologo -v q
