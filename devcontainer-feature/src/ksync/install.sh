#!/bin/sh
# Dev Container Feature "ksync": installs kubectl-ksync with the libraries it loads at run time, kubectl_complete-ksync,
# syncthing and (when missing) kubectl, and sets up start-watch.sh, which the feature's entrypoint runs at every
# container start (also `docker restart`) and its postStartCommand after every start by a Dev Containers tool.
#
# Runs as root at image build time (Dev Container Features spec); options arrive as environment variables:
#   VERSION           kubectl-ksync release: "latest" (default) or a version such as 0.1.0 / v0.1.0
#   AUTOSTART         "true" (default): start `kubectl ksync watch` at every container start; "false": never
#   PROJECTSPECS      the project's spec file relative to the workspace folder (default .devcontainer/ksync.yaml; empty:
#                     none); start-watch.sh links it as ~/.ksync/project.yaml, where kubectl-ksync finds it
#   SYNCTHINGVERSION  "os" (default): the distribution's syncthing package; "none": skip (`kubectl ksync init --local`
#                     then installs ksync's pinned syncthing into ~/.ksync/bin); X.Y.Z: that official syncthing release
#                     (checksum verified)
#   INSTALLKUBECTL    "true" (default): install kubectl (latest stable, checksum verified) only when none is on PATH
#   PLUGINARCHIVE     offline install: a kubectl-ksync_<version>_linux_<arch>.tar.gz, or a folder holding such
#                     archives (the one for this platform is picked), absolute or relative to this feature's folder;
#                     a checksums.txt beside it is verified when present. Overrides VERSION.
# The spec also passes _REMOTE_USER and _REMOTE_USER_HOME: the user start-watch.sh runs the watch as.
# Mirrors (for networks that cannot reach the defaults): KSYNC_RELEASE_BASE_URL (default
# https://github.com/ksync-dotnet/ksync/releases), KSYNC_KUBECTL_BASE_URL (https://dl.k8s.io/release),
# KSYNC_SYNCTHING_BASE_URL (https://github.com/syncthing/syncthing/releases/download).
#
# Idempotent: running it again replaces the files with the same content. Works on Debian, Ubuntu and Alpine, on
# amd64 and arm64. Every failure stops with "ksync feature: error: ..." saying what went wrong, and a non-zero exit.
set -e

FEATURE_DIR=$(cd "$(dirname "$0")" && pwd)
VERSION=${VERSION:-latest}
AUTOSTART=${AUTOSTART:-true}
PROJECTSPECS=${PROJECTSPECS-.devcontainer/ksync.yaml}
SYNCTHINGVERSION=${SYNCTHINGVERSION:-os}
INSTALLKUBECTL=${INSTALLKUBECTL:-true}
PLUGINARCHIVE=${PLUGINARCHIVE:-}
RELEASE_BASE_URL=${KSYNC_RELEASE_BASE_URL:-https://github.com/ksync-dotnet/ksync/releases}
KUBECTL_BASE_URL=${KSYNC_KUBECTL_BASE_URL:-https://dl.k8s.io/release}
SYNCTHING_BASE_URL=${KSYNC_SYNCTHING_BASE_URL:-https://github.com/syncthing/syncthing/releases/download}
BIN_DIR=/usr/local/bin
SHARE_DIR=/usr/local/share/ksync

log() { echo "ksync feature: $*"; }
die() { echo "ksync feature: error: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "install.sh must run as root (the Dev Container build runs it so)."

# --- platform -------------------------------------------------------------------------------------------------
KERNEL=${KSYNC_OS:-$(uname -s)}
MACHINE=${KSYNC_ARCH:-$(uname -m)}
[ "$KERNEL" = Linux ] || die "unsupported operating system '$KERNEL': the ksync feature runs in Linux containers only."
case "$MACHINE" in
  x86_64|amd64) ARCH=amd64 ;;
  aarch64|arm64) ARCH=arm64 ;;
  *) die "unsupported architecture '$MACHINE': kubectl-ksync is built for amd64 (x86_64) and arm64 (aarch64)." ;;
esac
DISTRO=unknown
DISTRO_LIKE=
if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  DISTRO=$(. /etc/os-release && echo "${ID:-unknown}")
  # shellcheck disable=SC1091
  DISTRO_LIKE=$(. /etc/os-release && echo "${ID_LIKE:-}")
fi
case "$DISTRO $DISTRO_LIKE" in
  alpine*) PKG=apk; ASSET_OS=linux-musl ;;
  debian*|ubuntu*|*" debian"*|*" ubuntu"*) PKG=apt; ASSET_OS=linux ;;
  *) die "unsupported distribution '$DISTRO': the ksync feature supports Debian, Ubuntu and Alpine based images." ;;
esac
log "platform: $DISTRO ($PKG), $ARCH"

# --- options (all checked before anything is installed) --------------------------------------------------------
case "$AUTOSTART" in true|false) ;; *) die "autoStart must be true or false, not '$AUTOSTART'." ;; esac
case "$INSTALLKUBECTL" in true|false) ;; *) die "installKubectl must be true or false, not '$INSTALLKUBECTL'." ;; esac
case "$PROJECTSPECS" in
  /*|*..*) die "projectSpecs '$PROJECTSPECS' must be a path inside the workspace folder, relative to it (e.g. .devcontainer/ksync.yaml)." ;;
esac
case "$VERSION" in
  latest|v[0-9]*.[0-9]*.[0-9]*|[0-9]*.[0-9]*.[0-9]*) ;;
  *) die "version '$VERSION' is not 'latest' or a version such as 0.1.0." ;;
esac
case "$SYNCTHINGVERSION" in
  os|none|""|v[0-9]*.[0-9]*.[0-9]*|[0-9]*.[0-9]*.[0-9]*) ;;
  *) die "syncthingVersion '$SYNCTHINGVERSION' is not 'os', 'none' or a version such as 1.27.12." ;;
esac

APT_UPDATED=false
apt_update_once() {
  if [ "$APT_UPDATED" = false ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed (is the package mirror reachable?)."
    APT_UPDATED=true
  fi
}

pkg_install() {
  if [ "$PKG" = apk ]; then
    apk add --no-cache "$@" >/dev/null || die "apk add $* failed (is the package index reachable?)."
  else
    apt_update_once
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
      || die "apt-get install $* failed (is the package mirror reachable?)."
  fi
}

# first_available PACKAGE...: the first package the package index offers.
first_available() {
  for candidate in "$@"; do
    if [ "$PKG" = apk ]; then
      apk add --no-cache --simulate "$candidate" >/dev/null 2>&1 && { echo "$candidate"; return 0; }
    else
      apt_update_once
      version=$(apt-cache policy "$candidate" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
      [ -z "$version" ] || [ "$version" = "(none)" ] || { echo "$candidate"; return 0; }
    fi
  done
  return 1
}

# --- downloads ------------------------------------------------------------------------------------------------
ensure_downloader() {
  if command -v curl >/dev/null 2>&1 || command -v wget >/dev/null 2>&1; then
    if [ -e /etc/ssl/certs/ca-certificates.crt ]; then return 0; fi
  fi
  log "installing curl and ca-certificates to download"
  pkg_install curl ca-certificates
}

# fetch URL FILE: downloads or stops with the URL that failed.
fetch() {
  ensure_downloader
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 --connect-timeout 20 -o "$2" "$1" || die "download failed: $1 (check the version and the network)."
  else
    wget -q -O "$2" "$1" || die "download failed: $1 (check the version and the network)."
  fi
}

# sha256_of FILE
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# verify FILE EXPECTED NAME: stops unless FILE's sha256 is EXPECTED.
verify() {
  [ -n "$2" ] || die "no checksum found for $3; refusing to install it unverified."
  actual=$(sha256_of "$1")
  expected=$(echo "$2" | tr 'A-F' 'a-f')
  [ "$actual" = "$expected" ] || die "checksum mismatch for $3: expected $expected, got $actual. The download is corrupt or was tampered with."
  log "checksum ok: $3"
}

# checksum_from SUMS NAME: the sha256 listed for NAME in a sha256sum-format file.
checksum_from() { awk -v name="$2" '$2 == name || $2 == "*" name { print $1; exit }' "$1"; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# --- kubectl-ksync --------------------------------------------------------------------------------------------
resolve_local_archive() {
  case "$PLUGINARCHIVE" in /*) path=$PLUGINARCHIVE ;; *) path=$FEATURE_DIR/$PLUGINARCHIVE ;; esac
  if [ -d "$path" ]; then
    found=
    for candidate in "$path"/kubectl-ksync_*_"${ASSET_OS}_${ARCH}".tar.gz; do
      [ -f "$candidate" ] || continue
      [ -z "$found" ] || die "more than one kubectl-ksync archive for ${ASSET_OS}/${ARCH} in $path; keep one."
      found=$candidate
    done
    [ -n "$found" ] || die "no kubectl-ksync_<version>_${ASSET_OS}_${ARCH}.tar.gz in $path (pluginArchive)."
    path=$found
  fi
  [ -f "$path" ] || die "pluginArchive '$PLUGINARCHIVE' does not exist (looked at $path)."
  echo "$path"
}

if [ -n "$PLUGINARCHIVE" ]; then
  ARCHIVE=$(resolve_local_archive)
  sums="$(dirname "$ARCHIVE")/checksums.txt"
  if [ -f "$sums" ]; then
    verify "$ARCHIVE" "$(checksum_from "$sums" "$(basename "$ARCHIVE")")" "$(basename "$ARCHIVE")"
  else
    log "no checksums.txt beside $ARCHIVE: installing the local archive unverified"
  fi
  log "installing kubectl-ksync from $ARCHIVE"
else
  if [ "$VERSION" = latest ]; then
    ensure_downloader
    if command -v curl >/dev/null 2>&1; then
      final=$(curl -fsSLI --retry 3 --connect-timeout 20 -o /dev/null -w '%{url_effective}' "$RELEASE_BASE_URL/latest") \
        || die "could not find the latest kubectl-ksync release at $RELEASE_BASE_URL/latest (network?)."
    else
      final=$(wget -S --spider "$RELEASE_BASE_URL/latest" 2>&1 | awk '/^ *[Ll]ocation: /{ l=$2 } END { print l }')
    fi
    TAG=${final##*/}
    case "$TAG" in v[0-9]*) ;; *) die "could not tell the latest release from $RELEASE_BASE_URL/latest (ended at '$final')." ;; esac
  else
    TAG=v${VERSION#v}
  fi
  asset="kubectl-ksync_${TAG}_${ASSET_OS}_${ARCH}.tar.gz"
  log "downloading kubectl-ksync $TAG ($asset)"
  fetch "$RELEASE_BASE_URL/download/$TAG/checksums.txt" "$WORK/checksums.txt"
  fetch "$RELEASE_BASE_URL/download/$TAG/$asset" "$WORK/$asset"
  verify "$WORK/$asset" "$(checksum_from "$WORK/checksums.txt" "$asset")" "$asset"
  ARCHIVE=$WORK/$asset
fi

mkdir -p "$WORK/plugin"
tar -xzf "$ARCHIVE" -C "$WORK/plugin" || die "$ARCHIVE is not a readable .tar.gz archive."
[ -f "$WORK/plugin/kubectl-ksync" ] || die "$ARCHIVE has no kubectl-ksync binary."
mkdir -p "$BIN_DIR" "$SHARE_DIR"
install -m 0755 "$WORK/plugin/kubectl-ksync" "$BIN_DIR/kubectl-ksync"
if [ -f "$WORK/plugin/kubectl_complete-ksync" ]; then
  install -m 0755 "$WORK/plugin/kubectl_complete-ksync" "$BIN_DIR/kubectl_complete-ksync"
else
  die "$ARCHIVE has no kubectl_complete-ksync (shell completion helper)."
fi
[ ! -f "$WORK/plugin/LICENSE" ] || install -m 0644 "$WORK/plugin/LICENSE" "$SHARE_DIR/LICENSE"

# --- what kubectl-ksync loads at run time ---------------------------------------------------------------------
# The native-AOT binary links only libc and libm (ldd); .NET opens libssl and libcrypto (OpenSSL 3 or 1.1) with
# dlopen on first TLS use — every cluster connection — and aborts without them. Servers with public certificates
# and downloads need the CA certificates. ICU is not needed (invariant globalization); libgssapi is only for
# Kerberos/NTLM proxies, which kubeconfigs do not use.
has_libssl() {
  for dir in /lib /lib64 /usr/lib /usr/lib64 /lib/*-linux-gnu /usr/lib/*-linux-gnu; do
    for library in libssl.so.3 libssl.so.1.1; do
      [ ! -e "$dir/$library" ] || return 0
    done
  done
  return 1
}
runtime_packages=
if ! has_libssl; then
  if [ "$PKG" = apk ]; then
    ssl=$(first_available libssl3 libssl1.1) || die "no OpenSSL library package (libssl3, libssl1.1) in the apk index."
  else
    # libssl3t64: Ubuntu 24.04+; libssl3: Debian 12+, Ubuntu 22.04; libssl1.1: Debian 11, Ubuntu 20.04.
    apt_update_once
    ssl=$(first_available libssl3t64 libssl3 libssl1.1) || die "no OpenSSL library package (libssl3t64, libssl3, libssl1.1) in the apt index."
  fi
  runtime_packages=$ssl
fi
[ -s /etc/ssl/certs/ca-certificates.crt ] || runtime_packages="$runtime_packages ca-certificates"
if [ -n "$runtime_packages" ]; then
  log "installing what kubectl-ksync needs at run time:$(printf ' %s' $runtime_packages)"
  # shellcheck disable=SC2086
  pkg_install $runtime_packages
fi

# Self-check: `version --check-tls` makes a TLS handshake with itself over loopback, so a missing libssl or CA
# store fails the build here instead of every cluster command in the container later.
KSYNC_HOME="$WORK/ksync-home" "$BIN_DIR/kubectl-ksync" version --check-tls --kubeconfig /nonexistent >"$WORK/version.txt" 2>&1 \
  || die "the installed kubectl-ksync does not run here: $(grep -v -e '^Client version:' -e '^Git commit:' -e '^Build date:' -e '^Syncthing:' -e '^Radar:' "$WORK/version.txt" | head -c 600)"
log "installed kubectl-ksync $(sed -n 's/^Client version: *//p' "$WORK/version.txt") at $BIN_DIR/kubectl-ksync, completion at $BIN_DIR/kubectl_complete-ksync"
log "self-check: TLS $(sed -n 's/^TLS: *//p' "$WORK/version.txt")"

# --- kubectl --------------------------------------------------------------------------------------------------
if command -v kubectl >/dev/null 2>&1; then
  log "kubectl found at $(command -v kubectl); leaving it as it is"
elif [ "$INSTALLKUBECTL" = true ]; then
  fetch "$KUBECTL_BASE_URL/stable.txt" "$WORK/stable.txt"
  kver=$(tr -d ' \r\n' < "$WORK/stable.txt")
  case "$kver" in v[0-9]*) ;; *) die "unexpected kubectl version '$kver' from $KUBECTL_BASE_URL/stable.txt." ;; esac
  log "downloading kubectl $kver"
  fetch "$KUBECTL_BASE_URL/$kver/bin/linux/$ARCH/kubectl" "$WORK/kubectl"
  fetch "$KUBECTL_BASE_URL/$kver/bin/linux/$ARCH/kubectl.sha256" "$WORK/kubectl.sha256"
  verify "$WORK/kubectl" "$(awk '{ print $1; exit }' "$WORK/kubectl.sha256")" "kubectl $kver"
  install -m 0755 "$WORK/kubectl" "$BIN_DIR/kubectl"
  log "installed kubectl $kver at $BIN_DIR/kubectl"
else
  log "kubectl is not installed and installKubectl is false: kubectl-ksync works on its own, but 'kubectl ksync' and shell completion need kubectl on PATH"
fi

# --- syncthing ------------------------------------------------------------------------------------------------
case "$SYNCTHINGVERSION" in
  none)
    log "syncthing skipped (syncthingVersion=none): run 'kubectl ksync init --local' to install ksync's pinned syncthing" ;;
  os|"")
    if command -v syncthing >/dev/null 2>&1; then
      log "syncthing found at $(command -v syncthing); leaving it as it is"
    else
      log "installing syncthing from the distribution's packages"
      pkg_install syncthing
    fi ;;
  *)
    stv=${SYNCTHINGVERSION#v}
    name="syncthing-linux-$ARCH-v$stv"
    log "downloading syncthing v$stv"
    fetch "$SYNCTHING_BASE_URL/v$stv/sha256sum.txt.asc" "$WORK/syncthing.sums"
    fetch "$SYNCTHING_BASE_URL/v$stv/$name.tar.gz" "$WORK/$name.tar.gz"
    verify "$WORK/$name.tar.gz" "$(checksum_from "$WORK/syncthing.sums" "$name.tar.gz")" "$name.tar.gz"
    tar -xzf "$WORK/$name.tar.gz" -C "$WORK" || die "$name.tar.gz is not a readable archive."
    [ -f "$WORK/$name/syncthing" ] || die "$name.tar.gz has no $name/syncthing."
    install -m 0755 "$WORK/$name/syncthing" "$BIN_DIR/syncthing"
    log "installed syncthing v$stv at $BIN_DIR/syncthing" ;;
esac

# --- auto-start -----------------------------------------------------------------------------------------------
install -m 0755 "$FEATURE_DIR/start-watch.sh" "$SHARE_DIR/start-watch.sh"
{
  echo "# Written by the ksync Dev Container feature; read by start-watch.sh."
  echo "KSYNC_AUTOSTART=$AUTOSTART"
  echo "KSYNC_PROJECT_SPECS='$PROJECTSPECS'"
  echo "KSYNC_REMOTE_USER='${_REMOTE_USER:-}'"
} > "$SHARE_DIR/feature.env"
chmod 0644 "$SHARE_DIR/feature.env"
log "auto-start of kubectl ksync watch: $AUTOSTART (entrypoint and postStartCommand $SHARE_DIR/start-watch.sh, as user ${_REMOTE_USER:-of the container}, log ~/.ksync/autostart.log); project specs: ${PROJECTSPECS:-none}"
log "done"
