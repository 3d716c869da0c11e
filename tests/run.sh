#!/usr/bin/env bash
# Runs every test of the repository on a fresh Debian machine (as root): installs what the tests need,
# publishes the native-AOT binaries the CLI and end-to-end tests run, runs all test projects one after
# another (each starts its own private Docker engine, syncthing and lab as it needs), and ends with one line
# "N passed, N failed[, N skipped]". Exit code 0 only when tests ran and none failed.
set -euo pipefail
# Root is needed (apt, a private Docker engine, containers); ask for it once when run as a user.
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "$(basename "$0"): run as root (sudo is not installed)" >&2; exit 1; }
  exec sudo -E PATH="$PATH" bash "$0" "$@"
fi
cd "$(dirname "$0")/.."
root=$(pwd)

tests/setup.sh

rid=linux-x64
[ "$(uname -m)" = "aarch64" ] && rid=linux-arm64
echo "run: building"
dotnet build KSync.sln -c Release --nologo -v q --no-restore
echo "run: publishing native-AOT binaries"
dotnet publish plugin/KSync.Plugin.csproj -c Release -r "$rid" -o artifacts/publish/kubectl-ksync --nologo -v q
dotnet publish radar/KSync.Radar.csproj -c Release -r "$rid" -o artifacts/publish/radar --nologo -v q
export KSYNC_TEST_PLUGIN="$root/artifacts/publish/kubectl-ksync/kubectl-ksync"
export KSYNC_TEST_RADAR="$root/artifacts/publish/radar/radar"

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
status=0
for project in $(find tests -name '*.Tests.csproj' | sort); do
  name=$(basename "$project" .csproj)
  echo "run: testing $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get total) - $(get executed)))
done

# The failed tests by name with the head of their message, so that the end of a CI log says what failed.
if [ "$failed" -gt 0 ]; then
  echo "run: failed tests"
  python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for trx in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for r in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult", ns):
        if r.get("outcome") in ("Passed", "NotExecuted"):
            continue
        message = r.findtext(".//t:Message", default="", namespaces=ns).strip().replace("\n", " | ")
        print(f"  FAILED {r.get('testName')} ({r.get('duration')}): {message[:600]}")
PY
fi

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
[ "$passed" -eq 0 ] && status=1
[ "$failed" -gt 0 ] && status=1
echo "$summary"
exit $status
