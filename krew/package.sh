#!/usr/bin/env bash
# Release packaging for kubectl-ksync (see krew/README.md).
#
#   package.sh archive  --version V --os OS --arch ARCH --binary PATH --out DIR
#       Writes DIR/kubectl-ksync_vV_OS_ARCH.tar.gz (.zip for windows) with the binary (kubectl-ksync, or
#       kubectl-ksync.exe on windows), LICENSE and, except on windows, kubectl_complete-ksync.
#       OS: linux, linux-musl, darwin, windows. ARCH: amd64, arm64.
#   package.sh manifest --version V --out DIR [--template FILE] [--allow-missing]
#       Writes DIR/checksums.txt (sha256sum format, every archive in DIR) and DIR/ksync.yaml: the krew manifest
#       template (.krew.yaml) rendered with the tag vV and the real sha256 of each platform's archive in DIR.
#       Every platform of the template needs its archive, unless --allow-missing drops those without one.
#
# Exit codes: 0 done, 1 bad input or a missing file (the message says which), 2 usage.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "package.sh: error: $*" >&2; exit 1; }
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 1 ] || usage
step=$1; shift
version="" os="" arch="" binary="" out="" template="$repo_root/.krew.yaml" allow_missing=false
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version=${2:-}; shift 2 ;;
    --os) os=${2:-}; shift 2 ;;
    --arch) arch=${2:-}; shift 2 ;;
    --binary) binary=${2:-}; shift 2 ;;
    --out) out=${2:-}; shift 2 ;;
    --template) template=${2:-}; shift 2 ;;
    --allow-missing) allow_missing=true; shift ;;
    -h|--help) usage ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

# The tag is v + semver (krew: spec.version must start with v and parse as semver).
version=${version#v}
[[ "$version" =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$ ]] \
  || die "--version '$version' is not a semantic version such as 0.1.0"
tag="v$version"
[ -n "$out" ] || die "--out DIR is required"
mkdir -p "$out"
out=$(cd "$out" && pwd)

sha256() { sha256sum "$1" | cut -d' ' -f1; }

archive() {
  case "$os" in linux|linux-musl|darwin|windows) ;; *) die "unsupported --os '$os' (use linux, linux-musl, darwin or windows)" ;; esac
  case "$arch" in amd64|arm64) ;; *) die "unsupported --arch '$arch' (use amd64 or arm64)" ;; esac
  [ -n "$binary" ] || die "--binary PATH is required"
  [ -f "$binary" ] || die "the binary '$binary' does not exist (publish it first: dotnet publish plugin -c Release -r RID)"
  [ -f "$repo_root/LICENSE" ] || die "LICENSE is missing at the repository root"

  local staging name
  staging=$(mktemp -d)
  trap 'rm -rf "$staging"' RETURN
  name="kubectl-ksync_${tag}_${os}_${arch}"
  if [ "$os" = windows ]; then
    install -m 0755 "$binary" "$staging/kubectl-ksync.exe"
    install -m 0644 "$repo_root/LICENSE" "$staging/LICENSE"
    rm -f "$out/$name.zip"
    (cd "$staging" && TZ=UTC touch -t 198001010000 kubectl-ksync.exe LICENSE && zip -q -X "$out/$name.zip" kubectl-ksync.exe LICENSE)
    echo "$out/$name.zip"
  else
    install -m 0755 "$binary" "$staging/kubectl-ksync"
    install -m 0755 "$repo_root/plugin/Completion/kubectl_complete-ksync" "$staging/kubectl_complete-ksync"
    install -m 0644 "$repo_root/LICENSE" "$staging/LICENSE"
    tar -C "$staging" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
      -cf - kubectl-ksync kubectl_complete-ksync LICENSE | gzip -n > "$out/$name.tar.gz"
    echo "$out/$name.tar.gz"
  fi
}

manifest() {
  [ -f "$template" ] || die "the manifest template '$template' does not exist"
  (cd "$out" && shopt -s nullglob && files=(kubectl-ksync_"${tag}"_*.tar.gz kubectl-ksync_"${tag}"_*.zip) \
    && [ ${#files[@]} -gt 0 ] && sha256sum "${files[@]}" > checksums.txt) \
    || die "no kubectl-ksync_${tag}_* archive in $out (run 'package.sh archive' first)"

  local rendered="$out/ksync.yaml.tmp" line pattern indent url asset platform=() skip=false
  : > "$rendered"
  pattern='^( *)\{\{ *addURIAndSha "([^"]+)" \.TagName *\}\}[[:space:]]*$'
  # Platform entries are buffered so one whose archive is missing can be dropped whole (--allow-missing).
  flush() {
    if [ "$skip" = false ] && [ ${#platform[@]} -gt 0 ]; then printf '%s\n' "${platform[@]}" >> "$rendered"; fi
    platform=(); skip=false
  }
  local in_platforms=false
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line//\{\{ .TagName \}\}/$tag}
    line=${line//\{\{.TagName\}\}/$tag}
    if [[ "$line" =~ ^\ *platforms:\ *$ ]]; then in_platforms=true; echo "$line" >> "$rendered"; continue; fi
    if [ "$in_platforms" = true ] && [[ "$line" =~ ^\ *-\ selector: ]]; then flush; fi
    if [ "$in_platforms" = true ] && [[ "$line" =~ ^[^\ ] ]]; then flush; in_platforms=false; fi
    if [[ "$line" =~ $pattern ]]; then
      indent=${BASH_REMATCH[1]} url=${BASH_REMATCH[2]}
      asset=${url##*/}
      if [ -f "$out/$asset" ]; then
        platform+=("${indent}uri: $url" "${indent}sha256: $(sha256 "$out/$asset")")
      elif [ "$allow_missing" = true ]; then
        skip=true
      else
        die "no archive $asset in $out for the manifest (build every platform, or pass --allow-missing)"
      fi
      continue
    fi
    if [ "$in_platforms" = true ]; then platform+=("$line"); else echo "$line" >> "$rendered"; fi
  done < "$template"
  flush
  grep -q 'sha256:' "$rendered" || die "no platform of the manifest has an archive in $out"
  mv "$rendered" "$out/ksync.yaml"
  echo "$out/ksync.yaml"
  echo "$out/checksums.txt"
}

case "$step" in
  archive) archive ;;
  manifest) manifest ;;
  *) usage ;;
esac
