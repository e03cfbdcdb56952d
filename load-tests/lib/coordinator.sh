#!/usr/bin/env bash
# Shared coordinator of the WebSocket load scenarios (sourced by run-<scenario>.sh after it set its defaults).
# One run: check ulimit -n, start a node (deploy/run.sh, PORT and FLOORCAST_DATA in a temp dir) or use --node,
# start K load processes (one 127.0.3.k source address each) under `timeout`, sample the server's CPU and RSS
# from /proc, merge the histograms, print the report and write it to load-tests/results/<scenario>-<date>.txt.
# Loopback only; every process is bounded in time and stops by itself.
#
# A scenario may define, before sourcing this file:
#   start_servers    instead of one node: start its own servers, set NODE (HOST:PORT[,HOST:PORT…]), server_kind,
#                    and, for cleanup, stop_servers; it runs after the work dir ($work) exists
#   before_load      run once the server is ready, before the load processes start (NODE_PID is known)
#   during_window    run in the background from the start of the measured window (e.g. restarts); it may write
#                    "label start-ms end-ms" lines to $out/windows and lines for the report to $out/server.extra
#   after_load       run when the load processes and during_window are done, servers still up (e.g. checks of
#                    the journal); its output goes into the report's server lines
# Environment overrides (used by the CI smoke test, which builds without installing into ~/.m2):
#   LOAD_CLASSPATH   classpath of this module's classes + HdrHistogram (default: mvn -o package here)
#   NODE_CLASSPATH   start the node with java -cp NODE_CLASSPATH floorcast.ops.Main instead of deploy/run.sh
#   RESULTS_DIR      where the report goes (default load-tests/results)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"

usage() {
  cat <<USAGE
usage: $0 [options]
  --dancers N            dancers in total (default $DANCERS)
  --duration S           measured seconds (default $DURATION)
  --processes K          load processes, one 127.0.3.k source each (default: ceil(N / $PER_PROCESS))
  --ramp S               seconds over which dancers connect (default $RAMP)
  --warmup S             seconds between the last connect and the measure window (default $WARMUP)
  --dj-lead S            seconds the DJs connect and register before the first dancer (default $DJ_LEAD)
  --sessions S           sessions (default $SESSIONS)
  --track-interval A[-B] seconds between a DJ's broadcasts (default $TRACK_INTERVAL)
  --node HOST:PORT[,…]   use running node(s) (they must allow the upgrade rate: WS_RATE_LIMIT); clients
                         spread round-robin over a list and move to the next entry when theirs fails
  --node-pid PID         its JVM's pid, for CPU and RSS (optional with --node)
  --floor [KIND]         run against a floor server instead of Floorcast (side-by-side ratio); KIND: nio (the
                         default: bare NIO, 1 thread), pekko-message (pekko-http's message API), pekko-frame
                         (pekko-http's frame-level path, as Floorcast's gateway uses it), pekko-frame-nio (the same
                         over Floorcast's own TCP transport, floorcast.net.NioHttpServer)
  --floor-queue N        per-connection queue capacity (frames) of the pekko floors (default 1024)
  --heap SIZE            -Xmx of a node or pekko floor this script starts (default 2g)
  extra driver options are passed through: --like-ratio --tempo-ratio --poll-vote-ratio --poll-interval
  --announce-interval --churn --big-share --lobby --like-storm-at --like-storm-window --headers
  --drain S              seconds after the window before the processes close (default $DRAIN)
USAGE
}

SCENARIO_COMMAND=${SCENARIO_COMMAND:-"load-tests/$(basename "$0") $*"}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
DJ_LEAD=${DJ_LEAD:-1}; NODE=""; NODE_PID=""; FLOOR=false; FLOOR_KIND=""; FLOOR_QUEUE=1024; PROCESSES=""; HEAP=2g; PASS=(); DRAIN=${DRAIN:-5}
while [ $# -gt 0 ]; do
  case "$1" in
    --dancers) DANCERS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --processes) PROCESSES=$2; shift 2 ;;
    --ramp) RAMP=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --dj-lead) DJ_LEAD=$2; shift 2 ;;
    --sessions) SESSIONS=$2; shift 2 ;;
    --track-interval) TRACK_INTERVAL=$2; shift 2 ;;
    --node) NODE=$2; shift 2 ;;
    --node-pid) NODE_PID=$2; shift 2 ;;
    --floor)
      FLOOR=true; FLOOR_KIND=nio; shift
      case "${1:-}" in nio|pekko-message|pekko-frame|pekko-frame-nio) FLOOR_KIND=$1; shift ;; esac ;;
    --floor-queue) FLOOR_QUEUE=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    --drain) DRAIN=$2; shift 2 ;;
    --help|-h) usage; exit 0 ;;
    --*) [ $# -ge 2 ] || { usage >&2; exit 2; }; PASS+=("$1" "$2"); shift 2 ;;
    *) usage >&2; exit 2 ;;
  esac
done

[ -n "$PROCESSES" ] || PROCESSES=$(( (DANCERS + PER_PROCESS - 1) / PER_PROCESS ))
[ "$PROCESSES" -ge 1 ] || PROCESSES=1
[ "$PROCESSES" -le 250 ] || { echo "at most 250 load processes (127.0.3.1-250)" >&2; exit 2; }
per_process=$(( (DANCERS + PROCESSES - 1) / PROCESSES ))

for tool in curl timeout awk; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done

has_hook() { [ "$(type -t "$1" 2>/dev/null)" = function ]; }

# --- file descriptors: one process (load client or server JVM) holds at most ulimit -n sockets (perf guide §1)
# raise the soft limit to the hard one first (children inherit it), as deploy/local-cluster.sh does
if [ "$(ulimit -n)" != unlimited ] && { [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -gt "$(ulimit -n)" ]; }; then
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
fd_limit=$(ulimit -n)
if [ "$fd_limit" != unlimited ] && [ $(( per_process + 200 )) -gt "$fd_limit" ]; then
  echo "ulimit -n is $fd_limit: $per_process dancers per process do not fit; use more --processes" >&2
  exit 2
fi
if [ -z "$NODE" ] && ! has_hook start_servers && [ "$fd_limit" != unlimited ] && [ $(( DANCERS + SESSIONS + 1000 )) -gt "$fd_limit" ]; then
  echo "ulimit -n is $fd_limit: one node cannot hold $DANCERS dancers (+~1,000 fds for jars, pool, cluster); run a cluster and pass --node" >&2
  exit 2
fi

source "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

# --- classpath of this module (driver + HdrHistogram)
if [ -n "${LOAD_CLASSPATH:-}" ]; then
  CP=$LOAD_CLASSPATH
else
  cp_file="$here/target/classpath.txt"
  if [ ! -f "$cp_file" ] || [ -n "$(find "$here/src" "$here/pom.xml" -newer "$cp_file" -print -quit)" ]; then
    ( cd "$here" && mvn -B -q -o package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2 )
  fi
  CP="$here/target/classes:$(cat "$cp_file")"
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
run_id=$(date -u +%H%M%S)$(( RANDOM % 100 ))
work=$(mktemp -d "${TMPDIR:-/tmp}/floorcast-load-$SCENARIO.XXXXXX")
out="$work/out"; mkdir -p "$out"
node_wrapper=""
cleanup() {
  if has_hook stop_servers; then stop_servers || true; fi
  if [ -n "$node_wrapper" ] && kill -0 "$node_wrapper" 2>/dev/null; then
    kill -TERM "$node_wrapper" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$node_wrapper" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$node_wrapper" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

total_seconds=$(awk -v l="$DJ_LEAD" -v r="$RAMP" -v w="$WARMUP" -v d="$DURATION" -v x="$DRAIN" 'BEGIN{printf "%d", l+r+w+d+x+0.999}')
lead_in=5 # seconds between now and the common start instant, for the JVMs to start

# --- the server under test
server_pid=""
if [ "$FLOOR" = true ]; then
  port=$(free_port)
  floor_seconds=$(( total_seconds + lead_in + 30 ))
  # server_kind: the bare NIO floor's starts with "floor" (Charts' floor series), the pekko floors' must not
  case "$FLOOR_KIND" in
    nio)
      floor_cmd=(java -Xmx1g -Xlog:gc:file="$work/gc.log" -cp "$CP" floorcast.load.ws.FloorServer "$port" "$floor_seconds")
      server_kind="floor (bare NIO, 1 thread)" ;;
    pekko-message)
      floor_cmd=(java -Xmx"$HEAP" -XX:+UseG1GC -Xlog:gc:file="$work/gc.log" -cp "$CP"
        floorcast.load.ws.pekko.PekkoMessageFloor "$port" "$floor_seconds" "$FLOOR_QUEUE")
      server_kind="pekko-http message API floor (handleMessagesWith, Source.queue($FLOOR_QUEUE) per connection, one shared TextMessage.Strict; -Xmx$HEAP)" ;;
    pekko-frame)
      floor_cmd=(java -Xmx"$HEAP" -XX:+UseG1GC -Xlog:gc:file="$work/gc.log" -cp "$CP"
        floorcast.load.ws.pekko.PekkoFrameFloor "$port" "$floor_seconds" "$FLOOR_QUEUE")
      server_kind="pekko-http frame-level floor (handleFrames, queue of $FLOOR_QUEUE frames per connection, one shared pre-encoded frame; -Xmx$HEAP)" ;;
    pekko-frame-nio)
      floor_cmd=(java -Xmx"$HEAP" -XX:+UseG1GC -Xlog:gc:file="$work/gc.log" -cp "$CP"
        floorcast.load.ws.pekko.PekkoFrameFloor "$port" "$floor_seconds" "$FLOOR_QUEUE" nio)
      server_kind="pekko-http frame-level floor over Floorcast's NIO transport (handleFrames, queue of $FLOOR_QUEUE frames per connection, one shared pre-encoded frame; -Xmx$HEAP)" ;;
  esac
  timeout --signal=TERM $(( total_seconds + lead_in + 60 )) "${floor_cmd[@]}" >"$work/node.log" 2>&1 &
  node_wrapper=$!
  NODE="127.0.0.1:$port"
elif [ -z "$NODE" ] && has_hook start_servers; then
  start_servers
elif [ -z "$NODE" ]; then
  port=$(free_port)
  conf="$work/node.conf"
  { echo 'include "application"'; printf '%s\n' "${NODE_CONFIG[@]:-}"; } >"$conf"
  echo "building/starting node on 127.0.0.1:$port (data in $work/data; log $work/node.log)" >&2
  node_cmd=(deploy/run.sh serve)
  extra_flags="${NODE_JAVA_OPTS:+ + NODE_JAVA_OPTS=$NODE_JAVA_OPTS}${WARMUP_CONNECTIONS:+ + WARMUP_CONNECTIONS=$WARMUP_CONNECTIONS}${HTTP_TRANSPORT:+ + HTTP_TRANSPORT=$HTTP_TRANSPORT}"
  server_kind="Floorcast node (deploy/run.sh: deploy/jvm.options, -Xmx$HEAP)$extra_flags"
  if [ -n "${NODE_CLASSPATH:-}" ]; then
    server_kind="Floorcast node (java @deploy/jvm.options -cp \$NODE_CLASSPATH, -Xmx$HEAP)$extra_flags"
    # shellcheck disable=SC2206 # NODE_JAVA_OPTS holds several options, split on spaces as JAVA_OPTS is
    node_cmd=(java @"$repo/deploy/jvm.options" -Xmx"$HEAP" -Xlog:gc:file="$work/gc.log" ${NODE_JAVA_OPTS:-} -Dconfig.file="$conf"
      -cp "$NODE_CLASSPATH" floorcast.ops.Main serve)
  fi
  ( cd "$repo" && PORT=$port HOST=127.0.0.1 FLOORCAST_DATA="$work/data" EMBEDDED_PG_PORT=$(free_port) \
      MANAGEMENT_PORT=$(free_port) ARTERY_PORT=$(free_port) WS_RATE_LIMIT=100000000 MAX_SESSIONS=10000 \
      FLOORCAST_CONFIG="$conf" JAVA_OPTS="-Xmx$HEAP -Xlog:gc:file=$work/gc.log ${NODE_JAVA_OPTS:-}" \
      exec timeout --signal=TERM $(( total_seconds + 900 )) "${node_cmd[@]}" ) >"$work/node.log" 2>&1 &
  node_wrapper=$!
  NODE="127.0.0.1:$port"
else
  server_kind="Floorcast node at $NODE (external)"
fi

# wait until the server answers (the node: /health/ready; the floor: the port is open)
for i in $(seq 1 900); do
  if [ -n "$node_wrapper" ] && ! kill -0 "$node_wrapper" 2>/dev/null; then
    echo "server exited early; log:" >&2; tail -40 "$work/node.log" >&2; exit 1
  fi
  if [ "$FLOOR" = true ]; then
    ss -Htln "sport = :${NODE##*:}" | grep -q . && break
  else
    all_ready=true
    for n in ${NODE//,/ }; do curl -fsS -o /dev/null "http://$n/health/ready" 2>/dev/null || all_ready=false; done
    [ "$all_ready" = true ] && break
  fi
  [ "$i" -lt 900 ] || { echo "server not ready after 900 s" >&2; exit 1; }
  sleep 1
done
if [ -z "$NODE_PID" ] && [ -n "$node_wrapper" ]; then
  # timeout's child is the JVM (run.sh execs java)
  NODE_PID=$(cat "/proc/$node_wrapper/task/$node_wrapper/children" 2>/dev/null | awk '{print $1}')
fi

# --- load processes
if has_hook before_load; then before_load; fi
start_ms=$(( $(date +%s%3N) + lead_in * 1000 ))
pids=()
remaining=$DANCERS
for k in $(seq 1 "$PROCESSES"); do
  n=$(( remaining < per_process ? remaining : per_process )); remaining=$(( remaining - n ))
  djs=false; [ "$k" -eq 1 ] && djs=true
  timeout --signal=KILL $(( total_seconds + lead_in + 60 )) \
    java -Xmx1g -XX:+UseParallelGC ${LOAD_JAVA_OPTS:-} -cp "$CP" floorcast.load.ws.LoadProcess \
      --process "$k" --source "127.0.3.$k" --server "$NODE" --floor "$FLOOR" --run-id "$run_id" --out "$out" \
      --dancers "$n" --sessions "$SESSIONS" --djs "$djs" --start-at "$start_ms" --dj-lead "$DJ_LEAD" --ramp "$RAMP" --warmup "$WARMUP" \
      --measure "$DURATION" --drain "$DRAIN" --track-interval "$TRACK_INTERVAL" "${SCENARIO_ARGS[@]}" "${PASS[@]}" \
      >"$out/p$k.log" 2>&1 &
  pids+=($!)
done

# --- server CPU over the measure window and RSS, from /proc; heap occupancy after the last GC before the window
# end, from the GC log (no GC is forced: it would pause deliveries still counted in the drain)
heap_after_gc() {
  [ -f "$work/gc.log" ] || return 0
  awk '/Pause/ && match($0, /->[0-9.]+[KMG]\(/) { v = substr($0, RSTART + 2, RLENGTH - 4); u = substr($0, RSTART + RLENGTH - 2, 1)
         last = v * (u == "K" ? 1 / 1024 : u == "G" ? 1024 : 1); n++ }
       END { if (n) printf "heap_after_last_gc_mb=%.0f (G1 log, last pause before the window end)\n", last }' "$work/gc.log"
}
ticks() { awk '{ s = substr($0, index($0, ") ") + 2); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
measure_start_ms=$(awk -v s="$start_ms" -v l="$DJ_LEAD" -v r="$RAMP" -v w="$WARMUP" 'BEGIN{printf "%.0f", s + (l + r + w) * 1000}')
sleep_until_ms() { local d=$(( $1 - $(date +%s%3N) )); [ "$d" -le 0 ] || sleep "$(awk -v d="$d" 'BEGIN{print d/1000}')"; }
{
  if [ -n "$NODE_PID" ] && [ -r "/proc/$NODE_PID/stat" ]; then
    echo "pid=$NODE_PID rss_before_mb=$(( $(status_kb "$NODE_PID" VmRSS) / 1024 ))"
    sleep_until_ms "$measure_start_ms"
    t0=$(ticks "$NODE_PID"); s0=$(date +%s%3N); h0=$(head -1 /proc/stat)
    echo "rss_at_measure_start_mb=$(( $(status_kb "$NODE_PID" VmRSS) / 1024 ))"
    end_ms=$(awk -v s="$measure_start_ms" -v d="$DURATION" 'BEGIN{printf "%.0f", s + d * 1000}')
    while [ "$(date +%s%3N)" -lt "$end_ms" ]; do
      sleep_until_ms $(( $(date +%s%3N) + 10000 < end_ms ? $(date +%s%3N) + 10000 : end_ms ))
      [ -r "/proc/$NODE_PID/stat" ] || break
      [ "${RSS_SERIES:-false}" = true ] && echo "rss_at_+$(( ($(date +%s%3N) - s0) / 1000 ))s_mb=$(( $(status_kb "$NODE_PID" VmRSS) / 1024 ))"
    done
    if [ -r "/proc/$NODE_PID/stat" ]; then
      t1=$(ticks "$NODE_PID"); s1=$(date +%s%3N); h1=$(head -1 /proc/stat)
      # the machine's CPU time in the window by kind (/proc/stat): steal is time the hypervisor gave to others while
      # this VM wanted to run; a run with much of it measured a slower machine
      echo "$h0 $h1" | awk '{ for (i = 2; i <= 11; i++) { d[i] = $(i + 11) - $i; t += d[i] }
        printf "machine_cpu_in_window busy=%.1f%% steal=%.1f%% idle=%.1f%%\n", 100 * (d[2] + d[3] + d[4] + d[7] + d[8]) / t, 100 * d[9] / t, 100 * (d[5] + d[6]) / t }'
      awk -v a="$t0" -v b="$t1" -v x="$s0" -v y="$s1" -v hz="$(getconf CLK_TCK)" \
        'BEGIN{printf "cpu_cores_in_window=%.3f (cpu %.2f s over %.2f s wall)\n", (b - a) / hz / ((y - x) / 1000), (b - a) / hz, (y - x) / 1000}'
      echo "rss_at_measure_end_mb=$(( $(status_kb "$NODE_PID" VmRSS) / 1024 )) rss_peak_mb=$(( $(status_kb "$NODE_PID" VmHWM) / 1024 ))"
      heap_after_gc
    else
      echo "server process gone during the window"
    fi
  else
    echo "no server pid: CPU and RSS not sampled (pass --node-pid)"
  fi
} >"$out/server.stats" &
sampler=$!
window_job=""
if has_hook during_window; then
  ( sleep_until_ms "$measure_start_ms"; during_window ) >"$work/window.log" 2>&1 &
  window_job=$!
fi

status=0
for p in "${pids[@]}"; do wait "$p" || status=$?; done
wait "$sampler" || true
if [ -n "$window_job" ]; then
  wait "$window_job" || { echo "the scenario's window job failed; its log:" >&2; tail -20 "$work/window.log" >&2; status=1; }
fi
[ -f "$out/server.extra" ] && cat "$out/server.extra" >>"$out/server.stats"
if has_hook after_load; then after_load >>"$out/server.stats" 2>&1 || status=1; fi
[ "$status" -eq 0 ] || { echo "a load process failed (exit $status):" >&2; grep -h -m1 -B2 -A12 -E "Exception|Error" "$out"/p*.log >&2 || tail -n 5 "$out"/p*.log >&2; }
if [ -f "$work/gc.log" ]; then
  awk '/Pause/ { v = $NF; sub(/ms/, "", v); if (v + 0 > m) m = v + 0; n++ } END { printf "gc_pauses=%d gc_max_pause_ms=%.1f\n", n, m }' "$work/gc.log" >>"$out/server.stats"
fi

# --- report
results_dir=${RESULTS_DIR:-$here/results}
mkdir -p "$results_dir"
result="$results_dir/$SCENARIO-$stamp.txt"
{
  echo "## $SCENARIO   $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "machine : $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average before run: $LOAD_BEFORE; $(java -version 2>&1 | head -1)"
  echo "server  : $server_kind"
  echo "clients : $PROCESSES process(es) × ≤ $per_process dancers (127.0.3.1-$PROCESSES), 1 NIO thread each"
  echo "command : $SCENARIO_COMMAND"
  echo "timeline: DJs ${DJ_LEAD}s ahead, ramp ${RAMP}s, warm-up ${WARMUP}s, measured ${DURATION}s; sessions $SESSIONS; track interval ${TRACK_INTERVAL}s"
  java -cp "$CP" floorcast.load.ws.LoadReport "$out" "$DURATION"
} | tee "$result"
echo "written: $result"
exit "$status"
