#!/bin/sh
# Start and stop inosync without systemd: nohup, a pid file, and a stop that uses it.
#
#   inosync-nohup.sh start     check the config, start inosync in the background, record its pid
#   inosync-nohup.sh stop      SIGTERM, then wait while it syncs what is pending (up to STOP_TIMEOUT s)
#   inosync-nohup.sh restart   stop, then start
#   inosync-nohup.sh status    is it running? (and `inosync status` when status_file is set)
#   inosync-nohup.sh reopen    SIGHUP: reopen the log file (after logrotate moved it)
#
# Settings come from the environment, or edit the defaults below. Exit codes: 0 ok, 1 failed,
# 3 not running (status), or inosync's own code when its check fails (see docs/operations.md).
set -u

INOSYNC=${INOSYNC:-/usr/local/bin/inosync}
CONFIG=${INOSYNC_CONFIG:-/etc/inosync/sync.toml}
PIDFILE=${INOSYNC_PIDFILE:-/var/run/inosync-nohup.pid}
# inosync logs to stderr as well as to log_file; without log_file this is the log.
OUTPUT=${INOSYNC_OUTPUT:-/var/log/inosync/nohup.out}
# A clean stop may take up to 75 s (running rsyncs finish, pending changes sync); inosync gives up at 90 s.
STOP_TIMEOUT=${INOSYNC_STOP_TIMEOUT:-100}

say() { printf 'inosync-nohup: %s\n' "$*" >&2; }

# The pid in PIDFILE if that process is alive and is an inosync (pids are reused).
running_pid() {
  [ -r "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  case "$pid" in '' | *[!0-9]*) return 1 ;; esac
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q inosync || return 1
  echo "$pid"
}

start() {
  if pid=$(running_pid); then
    say "already running (pid $pid)"
    return 0
  fi
  # The same checks the daemon makes, with their one-line errors, before going into the background.
  "$INOSYNC" check -c "$CONFIG" >/dev/null || return $?
  mkdir -p "$(dirname "$OUTPUT")" "$(dirname "$PIDFILE")" || return 1
  nohup "$INOSYNC" -c "$CONFIG" >>"$OUTPUT" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDFILE"
  # A config or pid-file problem ends it at once: report that instead of a false "started".
  sleep 1
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"
    code=$?
    rm -f "$PIDFILE"
    say "inosync exited at once with code $code; last lines of $OUTPUT:"
    tail -n 5 "$OUTPUT" >&2
    return 1
  fi
  say "started (pid $pid), output in $OUTPUT"
}

stop() {
  if ! pid=$(running_pid); then
    say "not running"
    rm -f "$PIDFILE"
    return 0
  fi
  kill -TERM "$pid" || return 1
  waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge "$STOP_TIMEOUT" ]; then
      say "pid $pid still running after ${STOP_TIMEOUT}s; not killing it (kill -KILL $pid to force)"
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  rm -f "$PIDFILE"
  say "stopped (pid $pid)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  status)
    if pid=$(running_pid); then
      say "running (pid $pid)"
      # The detailed view when the config sets status_file (exit 1 if a node is failing).
      "$INOSYNC" status -c "$CONFIG" 2>/dev/null
      code=$?
      [ "$code" -eq 78 ] && exit 0
      exit "$code"
    fi
    say "not running"
    exit 3
    ;;
  reopen)
    pid=$(running_pid) || { say "not running"; exit 3; }
    kill -HUP "$pid"
    ;;
  *)
    echo "usage: $0 start|stop|restart|status|reopen" >&2
    exit 64
    ;;
esac
