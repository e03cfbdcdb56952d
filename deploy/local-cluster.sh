#!/usr/bin/env bash
# Three Floorcast nodes and one PostgreSQL on this machine, loopback only (cluster-config/local-3-node/).
#
#   deploy/local-cluster.sh start            build if needed, start PostgreSQL, node1..3; wait until all are ready
#   deploy/local-cluster.sh stop             SIGTERM node3, node2, node1 (graceful leave), then PostgreSQL
#   deploy/local-cluster.sh status           processes, /ready, cluster members as node-local views
#   deploy/local-cluster.sh start-node N [APP_VERSION]   (used by rolling-restart.sh)
#   deploy/local-cluster.sh stop-node N
#
# | process | HTTP/WS | Artery | management | pid file / log under $FLOORCAST_RUN_DIR |
# | db      |         |        | 15432 (pg) | pids/db.pid, logs/db.log, pg data in data/ |
# | node1   | 3001    | 7355   | 7626       | pids/node1.pid, logs/node1.log             |
# | node2   | 3002    | 7356   | 7627       | …                                          |
# | node3   | 3003    | 7357   | 7628       | …                                          |
#
# Environment: FLOORCAST_RUN_DIR (default ./data/local-cluster), FLOORCAST_PORT_OFFSET (default 0: the ports
# above; N > 0 adds N to every port and passes them and the seed nodes as -D overrides, e.g. for a load test's
# throw-away cluster beside a running one; all ports must stay < 32768), JAVA_OPTS (default -Xmx512m -XX:+UseG1GC per
# node), APP_VERSION (initial app-version, default the counter in $FLOORCAST_RUN_DIR/app-version or 1.0.1),
# FLOORCAST_BUILD (a directory with floorcast.jar, lib/ and cluster-config/ to run instead of this checkout's
# build, e.g. an earlier release for a rollback).
#
# Nodes never run from target/: each app-version is staged once into $FLOORCAST_RUN_DIR/releases/<app-version>/
# (jar, lib/, cluster-config/), so rebuilding while the cluster runs cannot swap classes under a running JVM, and
# earlier releases stay available for rollbacks.
# The database is owned by this script, never by a node, so any node may be killed (stack.md P11).
set -euo pipefail

readonly HOST=127.0.0.1 # everything on loopback; this script never talks to another address
readonly PORT_OFFSET=${FLOORCAST_PORT_OFFSET:-0}
[[ "$PORT_OFFSET" =~ ^[0-9]+$ ]] && [ "$PORT_OFFSET" -le 17000 ] || {
  echo "local-cluster: FLOORCAST_PORT_OFFSET must be 0..17000 (ports stay below 32768)" >&2
  exit 2
}
readonly DB_PORT=$((15432 + PORT_OFFSET))
readonly MIN_NOFILE=4096       # below this a node cannot even hold its own pools and sockets
readonly WANT_NOFILE=20000     # pekko.http.server.max-connections = 19000 (http.conf) plus files and pools
readonly STOP_TIMEOUT=90       # >= sum of coordinated-shutdown phase timeouts (80 s) + JVM exit
readonly READY_TIMEOUT=180
readonly DB_TIMEOUT=120

cd "$(dirname "$0")/.."
readonly ROOT=$PWD
readonly RUN_DIR=${FLOORCAST_RUN_DIR:-$ROOT/data/local-cluster}
readonly JAR=$ROOT/target/floorcast.jar
readonly DATABASE_URL_LOCAL="postgres://postgres@$HOST:$DB_PORT/postgres"

http_port() { echo $((3000 + PORT_OFFSET + $1)); }
artery_port() { echo $((7354 + PORT_OFFSET + $1)); }
mgmt_port() { echo $((7625 + PORT_OFFSET + $1)); }

# -D overrides of the overlay's ports and seeds when the ports are offset (none for the ports of the overlay)
port_overrides() {
  [ "$PORT_OFFSET" -eq 0 ] && return 0
  echo "-Dfloorcast.http.port=$(http_port "$1") -Dpekko.remote.artery.canonical.port=$(artery_port "$1")" \
    "-Dpekko.management.http.port=$(mgmt_port "$1")" \
    "-Dpekko.cluster.seed-nodes.0=pekko://floorcast@$HOST:$(artery_port 1)" \
    "-Dpekko.cluster.seed-nodes.1=pekko://floorcast@$HOST:$(artery_port 2)"
}
release_dir() { echo "$RUN_DIR/releases/$1"; }
classpath_of() { echo "$1/floorcast.jar:$1/lib/*"; }
config_file() { echo "$2/cluster-config/local-3-node/local$1.conf"; }

die() { echo "local-cluster: $*" >&2; exit 1; }
log() { echo "local-cluster: $*"; }

check_node_number() {
  case "${1:-}" in 1 | 2 | 3) ;; *) die "node must be 1, 2 or 3, not '${1:-}'" ;; esac
}

check_ulimit() {
  local soft hard
  soft=$(ulimit -n)
  hard=$(ulimit -Hn)
  if [ "$soft" != unlimited ] && [ "$soft" -lt "$WANT_NOFILE" ]; then
    if [ "$hard" = unlimited ] || [ "$hard" -ge "$WANT_NOFILE" ]; then
      ulimit -n "$WANT_NOFILE"
    else
      ulimit -n "$hard"
    fi
    soft=$(ulimit -n)
  fi
  if [ "$soft" != unlimited ] && [ "$soft" -lt "$MIN_NOFILE" ]; then
    die "ulimit -n is $soft (< $MIN_NOFILE); raise the open-files limit first"
  fi
  if [ "$soft" != unlimited ] && [ "$soft" -lt "$WANT_NOFILE" ]; then
    log "warning: ulimit -n is $soft; a node accepts up to 19000 connections (needs >= $WANT_NOFILE)"
  fi
}

# Copies the build to run as app-version $1 into its release directory (once per app-version).
stage_release() {
  local version=$1 dir source
  dir=$(release_dir "$version")
  [ -f "$dir/floorcast.jar" ] && return 0
  if [ -n "${FLOORCAST_BUILD:-}" ]; then
    source=$FLOORCAST_BUILD
  else
    ensure_built
    source=$ROOT/target
  fi
  [ -f "$source/floorcast.jar" ] && [ -d "$source/lib" ] || die "no floorcast.jar and lib/ in $source"
  local config=$source/cluster-config
  [ -d "$config" ] || config=$ROOT/cluster-config
  log "staging release $version from $source"
  rm -rf "$dir.partial"
  mkdir -p "$dir.partial"
  cp "$source/floorcast.jar" "$dir.partial/"
  cp -r "$source/lib" "$dir.partial/lib"
  cp -r "$config" "$dir.partial/cluster-config"
  mv "$dir.partial" "$dir"
}

ensure_built() {
  if [ ! -f "$JAR" ] || [ ! -d "$ROOT/target/lib" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    mvn -B -q -DskipTests package dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory=target/lib
  fi
}

pid_file() { echo "$RUN_DIR/pids/$1.pid"; }

# The pid in $1's pid file if that process is still the one we started (its command line carries $2), else empty.
live_pid() {
  local file pid
  file=$(pid_file "$1")
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2"; then
    echo "$pid"
  fi
}

node_marker() { echo "cluster-config/local-3-node/local$1.conf"; }
readonly DB_MARKER=floorcast.ops.StandaloneDatabase

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

http_status() { curl -s -o /dev/null -m 5 -w '%{http_code}' "http://$HOST:$1$2" 2>/dev/null || true; }

# wait_for DESCRIPTION TIMEOUT_SECONDS COMMAND... : polls once a second until COMMAND succeeds
wait_for() {
  local what=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "local-cluster: timed out after ${timeout}s waiting for $what" >&2
      return 1
    fi
    sleep 1
  done
}

is_ready() { [ "$(http_status "$(mgmt_port "$1")" /ready)" = 200 ]; }
process_gone() { ! kill -0 "$1" 2>/dev/null; }
db_ready() { grep -q "PostgreSQL ready" "$RUN_DIR/logs/db.log" 2>/dev/null && port_in_use "$DB_PORT"; }

current_app_version() {
  if [ -s "$RUN_DIR/app-version" ]; then cat "$RUN_DIR/app-version"; else echo "${APP_VERSION:-1.0.1}"; fi
}

start_db() {
  if [ -n "$(live_pid db "$DB_MARKER")" ]; then
    log "PostgreSQL already running"
    return
  fi
  port_in_use "$DB_PORT" && die "port $DB_PORT is in use by another process"
  mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs" "$RUN_DIR/data"
  log "starting PostgreSQL on $HOST:$DB_PORT (data in $RUN_DIR/data)"
  : >"$RUN_DIR/logs/db.log"
  local release
  release=$(release_dir "$(current_app_version)")
  stage_release "$(current_app_version)"
  nohup java -Xmx128m -cp "$(classpath_of "$release")" "$DB_MARKER" "$RUN_DIR/data" "$DB_PORT" \
    >>"$RUN_DIR/logs/db.log" 2>&1 </dev/null &
  echo $! >"$(pid_file db)"
  wait_for "PostgreSQL" "$DB_TIMEOUT" db_ready || die "PostgreSQL did not start, see $RUN_DIR/logs/db.log"
}

start_node() {
  local n=$1 version=${2:-$(current_app_version)}
  check_node_number "$n"
  [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "app-version '$version' is not MAJOR.MINOR.PATCH"
  if [ -n "$(live_pid "node$n" "$(node_marker "$n")")" ]; then
    log "node$n already running"
    return
  fi
  local port
  for port in "$(http_port "$n")" "$(artery_port "$n")" "$(mgmt_port "$n")"; do
    port_in_use "$port" && die "port $port (node$n) is in use by another process"
  done
  [ -n "$(live_pid db "$DB_MARKER")" ] || die "PostgreSQL is not running (deploy/local-cluster.sh start)"
  mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs"
  stage_release "$version"
  local release
  release=$(release_dir "$version")
  log "starting node$n (HTTP $(http_port "$n"), Artery $(artery_port "$n"), management $(mgmt_port "$n"), app-version $version)"
  # shellcheck disable=SC2086,SC2046 # JAVA_OPTS and the overrides are lists of options
  DATABASE_URL=$DATABASE_URL_LOCAL nohup java @"$ROOT/deploy/jvm.options" ${JAVA_OPTS:--Xmx512m} \
    -Dconfig.file="$(config_file "$n" "$release")" -Dpekko.cluster.app-version="$version" $(port_overrides "$n") \
    -cp "$(classpath_of "$release")" floorcast.ops.Main serve >>"$RUN_DIR/logs/node$n.log" 2>&1 </dev/null &
  echo $! >"$(pid_file "node$n")"
}

stop_process() {
  local name=$1 marker=$2 pid
  pid=$(live_pid "$name" "$marker")
  if [ -z "$pid" ]; then
    rm -f "$(pid_file "$name")"
    return 0
  fi
  log "stopping $name (pid $pid, SIGTERM)"
  kill -TERM "$pid"
  if ! wait_for "$name to exit" "$STOP_TIMEOUT" process_gone "$pid"; then
    log "$name did not stop within ${STOP_TIMEOUT}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(pid_file "$name")"
}

stop_node() {
  check_node_number "$1"
  stop_process "node$1" "$(node_marker "$1")"
}

cmd_start() {
  check_ulimit
  mkdir -p "$RUN_DIR"
  if [ ! -s "$RUN_DIR/app-version" ]; then
    local initial
    initial=$(current_app_version)
    echo "$initial" >"$RUN_DIR/app-version"
  fi
  start_db
  local n
  for n in 1 2 3; do start_node "$n"; done
  for n in 1 2 3; do
    wait_for "node$n /ready" "$READY_TIMEOUT" is_ready "$n" || die "node$n not ready, see $RUN_DIR/logs/node$n.log"
  done
  log "cluster ready: http://$HOST:$(http_port 1) http://$HOST:$(http_port 2) http://$HOST:$(http_port 3)"
}

cmd_stop() {
  local n
  # youngest first, the oldest (normally node1, the coordinator's host) last: fewest shard moves
  for n in 3 2 1; do stop_node "$n"; done
  stop_process db "$DB_MARKER"
}

describe_pid() { if [ -n "$1" ]; then echo "pid $1"; else echo "not running"; fi; }

cmd_status() {
  local n pid ready
  pid=$(live_pid db "$DB_MARKER")
  echo "db     $(describe_pid "$pid")  postgres://$HOST:$DB_PORT"
  for n in 1 2 3; do
    pid=$(live_pid "node$n" "$(node_marker "$n")")
    ready=$(http_status "$(mgmt_port "$n")" /ready)
    echo "node$n  $(describe_pid "$pid")  ready=${ready:-000}  http://$HOST:$(http_port "$n")"
  done
  for n in 1 2 3; do
    if is_ready "$n"; then
      echo "members as node$n sees them:"
      curl -s -m 5 "http://$HOST:$(mgmt_port "$n")/cluster/members" |
        jq -r '(.members[] | "  \(.node) \(.status)"), "  oldest: \(.oldest // "-")",
               "  unreachable: \([.unreachable[].node] | join(", "))"'
      break
    fi
  done
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  start-node)
    check_ulimit
    start_node "${2:-}" "${3:-}"
    ;;
  stop-node) stop_node "${2:-}" ;;
  *)
    echo "usage: $0 start|stop|status|start-node N [APP_VERSION]|stop-node N" >&2
    exit 2
    ;;
esac
