#!/usr/bin/env bash
# Rolling restart of the local 3-node cluster started by deploy/local-cluster.sh (reliability.md §3):
# one node at a time, youngest first, the oldest member (coordinator + singletons) last; each node gets SIGTERM
# (graceful leave + shard hand-off), must disappear from /cluster/members on another node, is started again on
# the same ports with a higher app-version, and must be ready with the cluster converged before the next one.
# Every wait is bounded; on a timeout the script stops and exits 1 (page someone: the cluster is mid-roll).
#
#   deploy/rolling-restart.sh            restart all three with app-version = previous + 1 (this checkout's build)
#   FLOORCAST_BUILD=<dir> deploy/rolling-restart.sh     roll a given build, e.g. an earlier release (rollback)
#   FLOORCAST_PORT_OFFSET=N deploy/rolling-restart.sh  a cluster started with the same offset (local-cluster.sh)
#
# Talks only to 127.0.0.1 and only signals the pids in $FLOORCAST_RUN_DIR/pids (checked by local-cluster.sh).
set -euo pipefail

readonly HOST=127.0.0.1
readonly PORT_OFFSET=${FLOORCAST_PORT_OFFSET:-0}
readonly LEAVE_TIMEOUT=${LEAVE_TIMEOUT:-70}     # sharding handoff-timeout (60 s) + 10 s
readonly READY_TIMEOUT=${READY_TIMEOUT:-180}    # JVM start, Flyway, join, sharding registration on a busy box
readonly CONVERGE_TIMEOUT=${CONVERGE_TIMEOUT:-60}

cd "$(dirname "$0")/.."
readonly ROOT=$PWD
readonly RUN_DIR=${FLOORCAST_RUN_DIR:-$ROOT/data/local-cluster}
readonly CLUSTER=$ROOT/deploy/local-cluster.sh
export FLOORCAST_RUN_DIR=$RUN_DIR

die() { echo "rolling-restart: $*" >&2; exit 1; }
log() { echo "rolling-restart: $(date -u +%H:%M:%S) $*"; }

mgmt_port() { echo $((7625 + PORT_OFFSET + $1)); }
address() { echo "pekko://floorcast@$HOST:$((7354 + PORT_OFFSET + $1))"; }

for tool in curl jq; do command -v "$tool" >/dev/null || die "$tool is required"; done

nofile=$(ulimit -n)
if [ "$nofile" != unlimited ] && [ "$nofile" -lt 4096 ]; then
  die "ulimit -n is $nofile (< 4096); raise the open-files limit first"
fi

members_json() { curl -s -f -m 5 "http://$HOST:$(mgmt_port "$1")/cluster/members"; }
is_ready() { [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://$HOST:$(mgmt_port "$1")/ready" || true)" = 200 ]; }

# wait_for DESCRIPTION TIMEOUT_SECONDS COMMAND...  (returns 1 on timeout)
wait_for() {
  local what=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "rolling-restart: timed out after ${timeout}s waiting for $what" >&2
      return 1
    fi
    sleep 1
  done
}

# Node $1 is alone in its own cluster while node $2 sees the others: it joined itself (an island).
island() {
  local own
  own=$(members_json "$1" 2>/dev/null | jq '.members | length' 2>/dev/null || echo 0)
  [ "$own" = 1 ] && gone_from "$2" "$1"
}

# node $2 is no longer a member in node $1's view
gone_from() { members_json "$1" | jq -e --arg a "$(address "$2")" '[.members[].node] | index($a) | not' >/dev/null; }

# node $1 sees all three members Up and none unreachable
converged() {
  members_json "$1" |
    jq -e '([.members[] | select(.status == "Up")] | length) == 3 and (.unreachable | length) == 0' >/dev/null
}

node_pid() { cat "$RUN_DIR/pids/node$1.pid" 2>/dev/null || true; }

# process start time in clock ticks since boot (/proc/PID/stat field 22; finer than ps etimes): the youngest
# cluster member is the most recently started JVM, since a node joins right after it starts
start_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $20}'; }

# The whole run lives in a function: bash reads it completely before running it, so a checkout that changes
# this file mid-roll (git pull) cannot make bash execute a mix of old and new lines.
main() {
  # --- preconditions: all three nodes running, ready and converged
  for n in 1 2 3; do
    pid=$(node_pid "$n")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || die "node$n is not running (deploy/local-cluster.sh status)"
    is_ready "$n" || die "node$n is not ready; fix the cluster before rolling it"
  done
  converged 1 || die "cluster not converged (members not all Up, or unreachable members)"

  # --- order: youngest first, the oldest member last
  oldest=$(members_json 1 | jq -r '.oldest')
  oldest_node=""
  for n in 1 2 3; do [ "$(address "$n")" = "$oldest" ] && oldest_node=$n; done
  [ -n "$oldest_node" ] || die "oldest member '$oldest' is not one of the local nodes"
  order=$(for n in 1 2 3; do
    [ "$n" = "$oldest_node" ] || echo "$(start_ticks "$(node_pid "$n")") $n"
  done | sort -rn | awk '{print $2}' | tr '\n' ' ')
  order="$order$oldest_node"

  previous=$(cat "$RUN_DIR/app-version" 2>/dev/null || echo 1.0.0)
  [[ "$previous" =~ ^([0-9]+\.[0-9]+\.)([0-9]+)$ ]] || die "app-version '$previous' is not MAJOR.MINOR.PATCH"
  version="${BASH_REMATCH[1]}$((BASH_REMATCH[2] + 1))"
  echo "$version" >"$RUN_DIR/app-version"
  log "restart order: $order (oldest: node$oldest_node); app-version $previous -> $version"

  for n in $order; do
    observer=""
    for o in 1 2 3; do
      if [ "$o" != "$n" ] && is_ready "$o"; then observer=$o; break; fi
    done
    [ -n "$observer" ] || die "no ready node left to observe node$n leaving"

    started=$SECONDS
    log "node$n: SIGTERM (observer node$observer)"
    pid=$(node_pid "$n")
    "$CLUSTER" stop-node "$n" &
    stopper=$!
    wait_for "node$n to leave (as node$observer sees it)" "$LEAVE_TIMEOUT" gone_from "$observer" "$n" ||
      die "node$n did not leave; page: the cluster is mid-roll (deploy/local-cluster.sh status)"
    wait "$stopper" || die "stopping node$n failed"
    ! kill -0 "$pid" 2>/dev/null || die "node$n (pid $pid) still running"
    log "node$n: left after $((SECONDS - started))s; starting app-version $version"

    "$CLUSTER" start-node "$n" "$version"
    if ! wait_for "node$n /ready" "$READY_TIMEOUT" is_ready "$n"; then
      if island "$n" "$observer"; then
        die "node$n formed a cluster of its own (island); stop it (local-cluster.sh stop-node $n) and start it again"
      fi
      die "node$n not ready; page: the cluster is mid-roll (see $RUN_DIR/logs/node$n.log)"
    fi
    wait_for "convergence after node$n" "$CONVERGE_TIMEOUT" converged "$observer" ||
      die "cluster did not converge after node$n; page (deploy/local-cluster.sh status)"
    log "node$n: back and converged after $((SECONDS - started))s"
  done
  log "done: all nodes on app-version $version"
}

main "$@"
exit
