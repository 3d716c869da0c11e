#!/bin/sh
# Starts `kubectl ksync watch` in the background when the dev container starts. The ksync feature runs it twice:
#   --entrypoint  as the feature's entrypoint, which is part of the container's own start command: it runs at EVERY
#                 start, also `docker restart` and restarts by a restart policy, as the container's user (usually root)
#                 before any Dev Containers tool connects. As root it switches to the feature's remote user.
#   (no argument) as the feature's postStartCommand, after every start by a Dev Containers tool (devcontainer up, VS
#                 Code), as the remote user, in the workspace folder: it links the project's spec file (feature option
#                 projectSpecs, e.g. .devcontainer/ksync.yaml) as ~/.ksync/project.yaml, where kubectl-ksync finds it;
#                 a running watch picks the link up by itself.
# It never blocks the container's start: it detaches at once and returns 0, and the detached part writes what it
# decided to ~/.ksync/autostart.log:
#   - autoStart=false (feature option)                      -> does nothing
#   - no kubeconfig reachable (KSYNC_KUBECONFIG, KUBECONFIG entries, ~/.kube/config, or in-cluster service account)
#                                                           -> does nothing
#   - a watch is already running (a live ~/.ksync/daemon.pid, or any kubectl-ksync watch of this user)
#                                                           -> does nothing; never a second watch
#   - a stale daemon.pid (its process is gone or is not kubectl-ksync, e.g. after a container restart) -> removed
#   - otherwise: `kubectl-ksync watch --daemon`, which writes ~/.ksync/daemon.pid and logs to ~/.ksync/daemon.log, and
#     returns once the watch serves status, or fails with what the watch wrote before it exited (that lands here too)
# Concurrent starts are serialized by a lock folder (~/.ksync/autostart.lock), so two at once start one watch.
# Environment: KSYNC_HOME relocates ~/.ksync (as for kubectl-ksync); KSYNC_FEATURE_ENV the feature's settings file.
set -u

FEATURE_ENV=${KSYNC_FEATURE_ENV:-/usr/local/share/ksync/feature.env}
if [ -r "$FEATURE_ENV" ]; then
  # shellcheck disable=SC1090
  . "$FEATURE_ENV"
fi

MODE=${1:-post-start}
if [ "$MODE" = --entrypoint ]; then
  user=${KSYNC_REMOTE_USER:-}
  if [ "$(id -u)" = 0 ] && [ -n "$user" ] && [ "$user" != root ]; then
    # The feature's path is fixed and has no spaces, so it can go into su's command string as it is.
    if command -v runuser >/dev/null 2>&1; then
      exec runuser -u "$user" -- "$0" --entrypoint-as-user
    fi
    exec su -s /bin/sh -c "exec $0 --entrypoint-as-user" "$user"
  fi
  MODE=--entrypoint-as-user
fi
if [ "$MODE" = --entrypoint-as-user ]; then
  # su and runuser set HOME for the user; a container started with -u UID may have none or root's.
  HOME=$(awk -F: -v uid="$(id -u)" '$3 == uid { print $6; exit }' /etc/passwd 2>/dev/null || true)
  HOME=${HOME:-/tmp}
  export HOME
fi

KSYNC_HOME=${KSYNC_HOME:-${HOME:-/tmp}/.ksync}
LOG=$KSYNC_HOME/autostart.log

case "$MODE" in
  --detached*) ;;
  *)
    umask 077
    mkdir -p "$KSYNC_HOME" 2>/dev/null
    if command -v setsid >/dev/null 2>&1; then
      setsid "$0" "--detached$MODE" </dev/null >>"$LOG" 2>&1 &
    else
      nohup "$0" "--detached$MODE" </dev/null >>"$LOG" 2>&1 &
    fi
    exit 0 ;;
esac

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

# link_project: in the workspace folder (postStartCommand), points ~/.ksync/project.yaml at the project's spec file.
link_project() {
  [ -n "${KSYNC_PROJECT_SPECS:-}" ] || return 0
  target=$PWD/$KSYNC_PROJECT_SPECS
  link=$KSYNC_HOME/project.yaml
  if [ -e "$link" ] && [ ! -L "$link" ]; then
    say "keeping $link (your own file, not a link); the workspace's $KSYNC_PROJECT_SPECS is not used"
  elif [ ! -d "$(dirname "$target")" ]; then
    say "no folder $(dirname "$target") in the workspace; no project specs"
  elif [ "$(readlink "$link" 2>/dev/null)" != "$target" ]; then
    ln -sfn "$target" "$link" && say "project specs: $link -> $target$([ -f "$target" ] || echo ' (not there yet)')"
  fi
}

case "$MODE" in
  --detachedpost-start) link_project ;;
  *) say "container start (entrypoint, as $(id -un 2>/dev/null || id -u))" ;;
esac
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
