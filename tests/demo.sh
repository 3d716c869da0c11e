#!/usr/bin/env bash
# The main job, end to end, on a fresh Debian machine (run as root): installs what it needs, builds the
# native-AOT kubectl-ksync and radar, starts the lab cluster (a test Kubernetes API server, a Docker node and a
# containerd node; 'init' runs the node agent as DaemonSet containers from radar/Dockerfile), runs 'kubectl ksync
# init', starts a pod, creates a spec for a folder of sample files, starts 'kubectl ksync watch', edits a file and
# shows it from inside the container (kubectl exec), shows 'kubectl ksync get', and tears everything down.
#
#   bash tests/demo.sh          # the whole session, then clean up
#   bash tests/demo.sh --keep   # leave the lab and watch running, and print how to use them
set -euo pipefail
# Root is needed (apt, a private Docker engine, containers); ask for it once when run as a user.
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "$(basename "$0"): run as root (sudo is not installed)" >&2; exit 1; }
  exec sudo -E PATH="$PATH" bash "$0" "$@"
fi
cd "$(dirname "$0")/.."
root=$(pwd)
keep=false
for arg in "$@"; do
  case "$arg" in
    --keep) keep=true ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Installing what the demo needs (Debian packages, NuGet packages)"
tests/setup.sh

rid=linux-x64
[ "$(uname -m)" = "aarch64" ] && rid=linux-arm64
step "Building kubectl-ksync and radar (native AOT) and the lab"
dotnet publish plugin/KSync.Plugin.csproj -c Release -r "$rid" -o artifacts/publish/kubectl-ksync --nologo -v q
dotnet publish radar/KSync.Radar.csproj -c Release -r "$rid" -o artifacts/publish/radar --nologo -v q
dotnet build tests/KSync.Lab/KSync.Lab.csproj -c Release --nologo -v q
export KSYNC_TEST_RADAR="$root/artifacts/publish/radar/radar"
export PATH="$root/artifacts/publish/kubectl-ksync:$PATH"
lab=(dotnet "$root/tests/KSync.Lab/bin/Release/net10.0/ksync-lab.dll")

state=$(mktemp -d /tmp/ksync-demo.XXXXXX)
export KUBECONFIG="$state/kubeconfig" KSYNC_HOME="$state/ksync-home"
project="$state/project"
cleanup() {
  if [ "$keep" = true ]; then return; fi
  kubectl ksync clean --local >/dev/null 2>&1 || true
  "${lab[@]}" down --state "$state" >/dev/null 2>&1 || true
}
trap cleanup EXIT

step "Starting the lab cluster (state in $state)"
"${lab[@]}" up --detach --state "$state" >/dev/null
kubectl get nodes -o wide

step "kubectl ksync init"
kubectl ksync init --timeout 120s

step "A pod to develop in"
kubectl apply --validate=false -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
    - name: app
      image: busybox:latest
      command: ["sh", "-c", "mkdir -p /app && while true; do sleep 1; done"]
EOF
for _ in $(seq 1 60); do
  [ "$(kubectl get pod web -o jsonpath='{.status.phase}')" = Running ] && break
  sleep 1
done
kubectl get pods -o wide

step "A folder of sample files and a spec for it"
mkdir -p "$project/src"
printf '<h1>hello from ksync</h1>\n' > "$project/index.html"
printf 'echo "the app says hi"\n' > "$project/src/app.sh"
kubectl ksync create "$project" /app -l app=web --name web
cat "$KSYNC_HOME/ksync.yaml"

step "kubectl ksync watch (in the background)"
kubectl ksync watch --daemon
for _ in $(seq 1 60); do
  kubectl ksync get -o json 2>/dev/null | grep -q '"status": "watching"' && break
  sleep 1
done
kubectl ksync get -o wide

step "The container sees the files (kubectl exec web -- ls -la /app)"
kubectl exec web -- ls -la /app

step "Editing index.html on this machine"
printf '<h1>edited at %s</h1>\n' "$(date +%T.%N)" > "$project/index.html"
start=$(date +%s%N)
for _ in $(seq 1 200); do
  if kubectl exec web -- cat /app/index.html 2>/dev/null | grep -q edited; then break; fi
  sleep 0.05
done
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
echo "kubectl exec web -- cat /app/index.html:"
kubectl exec web -- cat /app/index.html
echo "(visible in the container ${elapsed} ms after the save, kubectl exec time included)"

step "kubectl ksync get"
sleep 2
kubectl ksync get -o wide

if [ "$keep" = true ]; then
  step "Left running"
  cat <<EOF
export KUBECONFIG=$KUBECONFIG KSYNC_HOME=$KSYNC_HOME PATH=$root/artifacts/publish/kubectl-ksync:\$PATH
# edit files in $project, then look inside the container:
kubectl exec web -- cat /app/index.html
kubectl ksync get
# stop everything:
kubectl ksync clean --local; dotnet ${lab[1]} down --state $state
EOF
else
  step "Cleaning up (watch, lab)"
fi
