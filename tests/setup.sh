#!/usr/bin/env bash
# Installs what the tests and the lab need on a fresh Debian 12 machine (run as root; idempotent):
# the Docker engine, syncthing, containerd and runc, a static busybox for images, debootstrap,
# and the NuGet packages. The .NET SDK and kubectl are expected on the machine already.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for pair in dockerd:docker.io syncthing:syncthing containerd:containerd runc:runc /bin/busybox:busybox-static \
            debootstrap:debootstrap ip:iproute2 curl:curl unshare:util-linux; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "$cmd" ] && [ ! -x "/usr/sbin/$cmd" ]; then
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

echo "setup: restoring NuGet packages"
dotnet restore KSync.sln --nologo -v q
