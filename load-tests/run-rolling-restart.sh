#!/usr/bin/env bash
# rolling-restart-under-load: a throw-away 3-node cluster (deploy/local-cluster.sh: one PostgreSQL, its own run
# directory and ports offset from the developer cluster's), N dancers spread round-robin over the three nodes
# (a dancer whose node goes away reconnects to the next one), one DJ per session broadcasting every 5.2-8 s, and
# --restart-after S seconds into the measured window deploy/rolling-restart.sh restarts every node in turn.
# The report splits deliveries (expected / received / missing, latency) into broadcasts stamped during a node's
# restart (SIGTERM → back and converged) and the others, counts reconnects and failures by kind, and checks that
# every ACKed broadcast is in the journal and that deploy/integrity.sql returns 0 rows.
# The measured window must outlast the roll: --duration (default 240 s) ≥ --restart-after + the roll (~1 min on a
# quiet machine; deploy/rolling-restart.sh's own timeouts bound it, and so does `timeout` here).
SCENARIO=rolling-restart
DANCERS=10000; DURATION=240; RAMP=60; WARMUP=10; SESSIONS=20; TRACK_INTERVAL=5.2-8; PER_PROCESS=9000
DRAIN=10
RESTART_AFTER=20
ROLL_TIMEOUT=900 # seconds; deploy/rolling-restart.sh's own per-step timeouts are shorter
SCENARIO_ARGS=(--big-share 0.05 --lobby true --series-seconds 1)

# --restart-after is this script's own option; everything else goes to the coordinator
SCENARIO_COMMAND="load-tests/$(basename "$0") $*"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --restart-after) RESTART_AFTER=$2; shift 2 ;;
    --node) echo "rolling-restart starts its own cluster; --node is not supported" >&2; exit 2 ;;
    --floor) echo "rolling-restart has no floor baseline" >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"

start_servers() {
  local hard per_node
  # during a node's restart its dancers sit on the other two nodes
  per_node=$(( (DANCERS + 1) / 2 + SESSIONS + 1000 ))
  hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ] && [ "$per_node" -gt "$hard" ]; then
    echo "ulimit -Hn is $hard: a node may hold $per_node sockets while another restarts" >&2; exit 2
  fi
  cluster_dir="$work/cluster"
  # an offset whose ten ports are all free (HTTP 3001+o.., Artery 7355+o.., management 7626+o.., PostgreSQL 15432+o)
  local o p busy
  for _ in $(seq 1 50); do
    o=$(( (1 + RANDOM % 160) * 100 ))
    busy=false
    for p in $((3001 + o)) $((3002 + o)) $((3003 + o)) $((7355 + o)) $((7356 + o)) $((7357 + o)) \
             $((7626 + o)) $((7627 + o)) $((7628 + o)) $((15432 + o)); do
      if ss -Htan "sport = :$p" 2>/dev/null | grep -q .; then busy=true; break; fi
    done
    [ "$busy" = false ] && break
  done
  [ "$busy" = false ] || { echo "no free port offset found" >&2; exit 1; }
  port_offset=$o
  mkdir -p "$cluster_dir/logs"
  export FLOORCAST_RUN_DIR="$cluster_dir" FLOORCAST_PORT_OFFSET="$port_offset"
  export WS_RATE_LIMIT=100000000 MAX_SESSIONS=10000
  # track-throttle 4 s: a 5.2 s schedule must not turn into rate_limited NACKs through server-side jitter
  export JAVA_OPTS="-Xmx$HEAP -XX:+UseG1GC -Dfloorcast.session.track-throttle=4s -Xlog:gc:file=$cluster_dir/logs/gc-%p.log"
  echo "starting a 3-node cluster (ports +$port_offset, run dir $cluster_dir)" >&2
  cluster_started=true
  if ! timeout --signal=TERM 900 "$repo/deploy/local-cluster.sh" start >"$work/cluster.log" 2>&1; then
    echo "cluster did not start:" >&2; tail -20 "$work/cluster.log" >&2
    for n in 1 2 3; do tail -5 "$cluster_dir/logs/node$n.log" >&2 2>/dev/null || true; done
    exit 1
  fi
  # the roll restages this very release under the next app-version: no rebuild in the middle of the run, and
  # the restarted nodes run the same code
  export FLOORCAST_BUILD="$cluster_dir/releases/$(cat "$cluster_dir/app-version")"
  NODE="127.0.0.1:$((3001 + o)),127.0.0.1:$((3002 + o)),127.0.0.1:$((3003 + o))"
  server_kind="3-node cluster (deploy/local-cluster.sh, ports +$port_offset, -Xmx$HEAP each, one PostgreSQL); rolling restart $RESTART_AFTER s into the window"
}

stop_servers() {
  [ "${cluster_started:-false}" = true ] || return 0
  timeout --signal=TERM 400 "$repo/deploy/local-cluster.sh" stop >>"$work/cluster.log" 2>&1 || {
    # the bounded fallback: only the pids this run's local-cluster.sh wrote
    for f in "$cluster_dir"/pids/*.pid; do [ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null; done
  }
}

# The roll, with each output line stamped (epoch ms); windows = SIGTERM of a node → it is back and converged.
during_window() {
  sleep "$RESTART_AFTER"
  local started rc
  started=$(date +%s%3N)
  set +e
  timeout --signal=TERM "$ROLL_TIMEOUT" "$repo/deploy/rolling-restart.sh" 2>&1 |
    while IFS= read -r line; do echo "$(date +%s%3N) $line"; done >"$work/restart.log"
  rc=${PIPESTATUS[0]}
  set -e
  cat "$work/restart.log"
  for n in 1 2 3; do
    awk -v n="node$n:" '$4 == n && $5 == "SIGTERM" { s = $1 } $4 == n && $5 == "back" { e = $1 }
      END { if (s && e) print "restart_node" substr(n, 5, 1), s, e }' "$work/restart.log" >>"$out/windows"
  done
  {
    echo "rolling_restart exit=$rc total_s=$(( ($(date +%s%3N) - started) / 1000 )) (started ${RESTART_AFTER}s into the window)"
    sed -E 's/^[0-9]+ rolling-restart: //' "$work/restart.log" | grep -E 'order|left after|back and converged|timed out|done' | sed 's/^/rolling_restart /'
    local window_end=$(( measure_start_ms + ${DURATION%.*} * 1000 ))
    [ "$(date +%s%3N)" -le "$window_end" ] || echo "NOTE the roll ended after the measured window: use a longer --duration"
  } >"$out/server.extra"
  return "$rc"
}

after_load() {
  java -cp "$CP" floorcast.load.ws.JournalCheck "jdbc:postgresql://127.0.0.1:$((15432 + port_offset))/postgres" \
    "$out" "$run_id" "$repo/deploy/integrity.sql"
}

source "$(dirname "$0")/lib/coordinator.sh"
