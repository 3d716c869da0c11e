#!/bin/sh
# Starts `kubectl ksync watch` in the background when the dev container starts (the ksync feature's postStartCommand;
# runs as the remote user, in the workspace folder, at every start). It never blocks the container's start: it
# detaches itself at once and returns 0, and the detached part writes what it decided to ~/.ksync/autostart.log:
#   - autoStart=false (feature option)                      -> does nothing
#   - no kubeconfig reachable (KSYNC_KUBECONFIG, KUBECONFIG entries, ~/.kube/config, or in-cluster service account)
#                                                           -> does nothing
#   - a watch is already running (a live ~/.ksync/daemon.pid, or any kubectl-ksync watch of this user)
#                                                           -> does nothing; never a second watch
#   - a stale daemon.pid (its process is gone or is not kubectl-ksync, e.g. after a container restart) -> removed
#   - otherwise: `kubectl-ksync watch --daemon`, which writes ~/.ksync/daemon.pid and logs to ~/.ksync/daemon.log
# Concurrent starts are serialized by a lock folder (~/.ksync/autostart.lock), so two at once start one watch.
# Environment: KSYNC_HOME relocates ~/.ksync (as for kubectl-ksync); KSYNC_FEATURE_ENV the feature's settings file.
set -u

KSYNC_HOME=${KSYNC_HOME:-${HOME:-/tmp}/.ksync}
LOG=$KSYNC_HOME/autostart.log
FEATURE_ENV=${KSYNC_FEATURE_ENV:-/usr/local/share/ksync/feature.env}

if [ "${1:-}" != --detached ]; then
  umask 077
  mkdir -p "$KSYNC_HOME" 2>/dev/null
  if command -v setsid >/dev/null 2>&1; then
    setsid "$0" --detached </dev/null >>"$LOG" 2>&1 &
  else
    nohup "$0" --detached </dev/null >>"$LOG" 2>&1 &
  fi
  exit 0
fi

say() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) ksync-autostart[$$]: $*"; }

# is_watch PID: whether PID is a live kubectl-ksync process (not a zombie, not a reused PID of something else).
is_watch() {
  [ -r "/proc/$1/cmdline" ] || return 1
  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)
  [ "$state" != Z ] || return 1
  tr '\0' '\n' < "/proc/$1/cmdline" 2>/dev/null | head -n 1 | grep -q 'kubectl-ksync$'
}

# running_watch: PID of a `kubectl-ksync watch` of this user, if one runs (started by hand, without a PID file).
running_watch() {
  me=$(id -u)
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$pid" != "$$" ] || continue
    owner=$(sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' "$dir/status" 2>/dev/null)
    [ "$owner" = "$me" ] || continue
    is_watch "$pid" || continue
    if tr '\0' '\n' < "$dir/cmdline" 2>/dev/null | sed 1d | grep -qx watch; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

# kubeconfig: the first kubeconfig kubectl-ksync would load, or "in-cluster"; nothing when none is reachable.
kubeconfig() {
  if [ -n "${KSYNC_KUBECONFIG:-}" ]; then
    [ -r "$KSYNC_KUBECONFIG" ] && echo "$KSYNC_KUBECONFIG"
    return 0
  fi
  if [ -n "${KUBECONFIG:-}" ]; then
    old_ifs=$IFS
    IFS=:
    for file in $KUBECONFIG; do
      if [ -n "$file" ] && [ -r "$file" ]; then IFS=$old_ifs; echo "$file"; return 0; fi
    done
    IFS=$old_ifs
  elif [ -r "${HOME:-/nonexistent}/.kube/config" ]; then
    echo "$HOME/.kube/config"
    return 0
  fi
  if [ -n "${KUBERNETES_SERVICE_HOST:-}" ] && [ -r /var/run/secrets/kubernetes.io/serviceaccount/token ]; then
    echo in-cluster
  fi
}

if [ -r "$FEATURE_ENV" ]; then
  # shellcheck disable=SC1090
  . "$FEATURE_ENV"
fi
if [ "${KSYNC_AUTOSTART:-true}" != true ]; then
  say "autoStart is off (feature option); not starting kubectl ksync watch"
  exit 0
fi

PLUGIN=$(command -v kubectl-ksync 2>/dev/null || true)
if [ -z "$PLUGIN" ]; then
  say "kubectl-ksync is not on PATH ($PATH); not starting watch"
  exit 0
fi

config=$(kubeconfig)
if [ -z "$config" ]; then
  say "no kubeconfig reachable (KUBECONFIG=${KUBECONFIG:-<unset>}, ${HOME:-~}/.kube/config missing, not in a pod); not starting watch. Once you have one, run: kubectl ksync watch --daemon"
  exit 0
fi

LOCK=$KSYNC_HOME/autostart.lock
if ! mkdir "$LOCK" 2>/dev/null; then
  holder=$(cat "$LOCK/pid" 2>/dev/null || true)
  if [ -n "$holder" ] && [ -r "/proc/$holder/cmdline" ] && tr '\0' ' ' < "/proc/$holder/cmdline" | grep -q 'start-watch'; then
    say "another start (PID $holder) is in progress; not starting a second watch"
    exit 0
  fi
  say "removing a stale start lock (PID ${holder:-?} is gone)"
  rm -rf "$LOCK"
  if ! mkdir "$LOCK" 2>/dev/null; then
    say "another start took the lock; not starting a second watch"
    exit 0
  fi
fi
echo $$ > "$LOCK/pid"
trap 'rm -rf "$LOCK"' EXIT

PIDFILE=$KSYNC_HOME/daemon.pid
if [ -f "$PIDFILE" ]; then
  pid=$(tr -dc '0-9' < "$PIDFILE" 2>/dev/null || true)
  if [ -n "$pid" ] && is_watch "$pid"; then
    say "kubectl ksync watch is already running (PID $pid, from $PIDFILE); not starting another"
    exit 0
  fi
  say "ignoring a stale PID file $PIDFILE (PID ${pid:-none} is not a running kubectl-ksync); removing it"
  rm -f "$PIDFILE"
fi
if other=$(running_watch); then
  say "kubectl ksync watch is already running (PID $other, started without --daemon); not starting another"
  exit 0
fi

say "starting kubectl ksync watch --daemon (kubeconfig: $config)"
if "$PLUGIN" watch --daemon; then
  say "kubectl ksync watch started (PID $(cat "$PIDFILE" 2>/dev/null || echo '?')); its log is $KSYNC_HOME/daemon.log"
else
  say "kubectl ksync watch --daemon failed (exit $?); see the lines above and $KSYNC_HOME/daemon.log"
fi
exit 0
