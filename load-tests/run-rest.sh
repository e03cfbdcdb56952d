#!/usr/bin/env bash
# rest: the public hot REST routes under wrk, side by side with /health as the floor (issue #5: ≥ 5,000 req/s with
# p99 ≤ 20 ms on one node). One run: start one node (deploy/run.sh, temp data dir, free ports < 32768), seed it
# through the live protocol (floorcast.load.rest.RestSeeder: an ended 500-play session with likes and tempo votes,
# history sessions, live sessions with listeners), wait until the read side shows every seeded row, then the same
# wrk load (fixed threads, connections, duration; loopback) on /health, the active list, global stats and the recap.
# Writes load-tests/results/rest-<UTC date-time>.txt. Every process is bounded in time and stops by itself.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

THREADS=2; CONNECTIONS=50; DURATION=30; WARMUP=5; WRK_TIMEOUT=5; HEAP=2g
TRACKS=500; HISTORY=30; HISTORY_TRACKS=20; LIVE=40; DANCERS=30; CATCH_UP=180

usage() {
  cat <<USAGE
usage: $0 [options]
  --threads N          wrk threads (default $THREADS)
  --connections N      wrk connections, kept open (default $CONNECTIONS)
  --duration S         measured seconds per route (default $DURATION)
  --warmup S           unrecorded wrk run per route right before its measured run (default $WARMUP; 0 = none)
  --heap SIZE          -Xmx of the node (default $HEAP)
  --tracks N           plays of the recap session (default $TRACKS)
  --history N          extra ended sessions (default $HISTORY) of --history-tracks plays (default $HISTORY_TRACKS)
  --live N             live sessions for the active list (default $LIVE)
  --dancers N          seeding dancers: likes, tempo votes, listeners (default $DANCERS)
  --catch-up S         at most this long to wait for the read side to show the seed (default $CATCH_UP)
USAGE
}

COMMAND="load-tests/$(basename "$0") $*"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    --tracks) TRACKS=$2; shift 2 ;;
    --history) HISTORY=$2; shift 2 ;;
    --history-tracks) HISTORY_TRACKS=$2; shift 2 ;;
    --live) LIVE=$2; shift 2 ;;
    --dancers) DANCERS=$2; shift 2 ;;
    --catch-up) CATCH_UP=$2; shift 2 ;;
    --help|-h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null; then
  echo "wrk not found. Install it (Debian/Ubuntu): sudo apt-get install -y wrk   (other systems: https://github.com/wg/wrk)" >&2
  exit 2
fi
[ "$CONNECTIONS" -ge "$THREADS" ] || { echo "--connections must be ≥ --threads (wrk)" >&2; exit 2; }
fd_limit=$(ulimit -n)
if [ "$fd_limit" != unlimited ] && [ $(( CONNECTIONS + DANCERS + LIVE + 1000 )) -gt "$fd_limit" ]; then
  echo "ulimit -n is $fd_limit: too small for $CONNECTIONS connections plus the seed's sockets" >&2
  exit 2
fi

source "$here/lib/free-port.sh"

# --- classpath of this module (the seeder; Jackson comes with the server)
cp_file="$here/target/classpath.txt"
if [ ! -f "$cp_file" ] || [ -n "$(find "$here/src" "$here/pom.xml" -newer "$cp_file" -print -quit)" ]; then
  ( cd "$here" && mvn -B -q -o package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2 )
fi
CP="$here/target/classes:$(cat "$cp_file")"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$(mktemp -d "${TMPDIR:-/tmp}/floorcast-load-rest.XXXXXX")
node_wrapper=""; seeder=""
cleanup() {
  if [ -n "$seeder" ] && kill -0 "$seeder" 2>/dev/null; then kill -TERM "$seeder" 2>/dev/null || true; fi
  if [ -n "$node_wrapper" ] && kill -0 "$node_wrapper" 2>/dev/null; then
    kill -TERM "$node_wrapper" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$node_wrapper" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$node_wrapper" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

routes_seconds=$(( 4 * (WARMUP + DURATION + 5) ))
budget=$(( 600 + CATCH_UP + routes_seconds + 60 )) # seed ≤ 600 s, catch-up, the four routes, margin

# --- the node: seeding needs fast tracks and many actions per client, so this node lowers the track throttle and
# raises the per-client limits (neither is on the read path measured here)
port=$(free_port)
conf="$work/node.conf"
cat >"$conf" <<CONF
include "application"
floorcast.session.track-throttle = 1ms
floorcast.session.actions-per-minute = 1000000
floorcast.session.likes-per-minute = 1000000
CONF
echo "building/starting node on 127.0.0.1:$port (data in $work/data; log $work/node.log)" >&2
( cd "$repo" && PORT=$port HOST=127.0.0.1 FLOORCAST_DATA="$work/data" EMBEDDED_PG_PORT=$(free_port) \
    MANAGEMENT_PORT=$(free_port) ARTERY_PORT=$(free_port) WS_RATE_LIMIT=100000000 \
    FLOORCAST_CONFIG="$conf" JAVA_OPTS="-Xmx$HEAP -XX:+UseG1GC -Xlog:gc:file=$work/gc.log" \
    exec timeout --signal=TERM $(( budget + 900 )) deploy/run.sh serve ) >"$work/node.log" 2>&1 &
node_wrapper=$!
NODE="127.0.0.1:$port"
for i in $(seq 1 900); do
  kill -0 "$node_wrapper" 2>/dev/null || { echo "node exited early; log:" >&2; tail -40 "$work/node.log" >&2; exit 1; }
  curl -fsS -o /dev/null "http://$NODE/health/ready" 2>/dev/null && break
  [ "$i" -lt 900 ] || { echo "node not ready after 900 s" >&2; exit 1; }
  sleep 1
done
NODE_PID=$(cat "/proc/$node_wrapper/task/$node_wrapper/children" 2>/dev/null | awk '{print $1}') # run.sh execs java

# --- seed through the live protocol; the seeder keeps the live sessions' connections open while wrk runs
echo "seeding through the WebSocket protocol (log $work/seeder.log)" >&2
seed_start=$(date +%s)
timeout --signal=TERM "$budget" java -Xmx512m -cp "$CP" floorcast.load.rest.RestSeeder --server "$NODE" \
  --tracks "$TRACKS" --history "$HISTORY" --history-tracks "$HISTORY_TRACKS" --live "$LIVE" --dancers "$DANCERS" \
  --hold "$budget" --out "$work/seed.txt" >"$work/seeder.log" 2>&1 &
seeder=$!
until [ -f "$work/seed.txt" ]; do
  kill -0 "$seeder" 2>/dev/null || { echo "seeding failed:" >&2; tail -20 "$work/seeder.log" >&2; exit 1; }
  [ $(( $(date +%s) - seed_start )) -lt 600 ] || { echo "seeding took over 600 s" >&2; exit 1; }
  sleep 1
done
seed_end=$(date +%s%3N)
seed_value() { awk -F= -v k="$1" '$1 == k { sub(/^[^=]*=/, ""); print }' "$work/seed.txt"; }
recap_id=$(seed_value recap_session)

# --- wait until the read side shows everything that was ACKed (global stats may be cached for the TTL)
declare -A PATHS=(
  [health]="/health"
  [active]="/api/sessions/active"
  [global]="/api/stats/global"
  [recap]="/api/session/$recap_id/recap"
)
ORDER=(health active global recap)
expect_active="\"count\":$(seed_value live_sessions),"
expect_global="{\"totalSessions\":$(seed_value total_sessions),\"totalTracks\":$(seed_value total_tracks),\"totalLikes\":$(seed_value total_likes)}"
expect_recap_tracks="\"trackCount\":$(seed_value recap_tracks),"
expect_recap_likes="\"totalLikes\":$(seed_value recap_likes),"
recap_seen=""; deadline=$(( $(date +%s) + CATCH_UP ))
while :; do
  recap=$(curl -fsS "http://$NODE${PATHS[recap]}" 2>/dev/null || true)
  if [ -z "$recap_seen" ] && [[ "$recap" == *"$expect_recap_tracks"* && "$recap" == *"$expect_recap_likes"* ]]; then
    recap_seen=$(date +%s%3N)
  fi
  if [ -n "$recap_seen" ] \
      && [[ "$(curl -fsS "http://$NODE${PATHS[active]}" 2>/dev/null)" == *"$expect_active"* ]] \
      && [ "$(curl -fsS "http://$NODE${PATHS[global]}" 2>/dev/null)" = "$expect_global" ]; then
    break
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "the read side did not show the seed within $CATCH_UP s:" >&2
    echo "  expected $expect_recap_tracks $expect_recap_likes in the recap, $expect_active, global $expect_global" >&2
    echo "  global now: $(curl -sS "http://$NODE${PATHS[global]}")" >&2
    exit 1
  fi
  sleep 0.5
done
caught_up=$(date +%s%3N)

# --- the same wrk load on each route, one after the other; server CPU from /proc over each measured run
ticks() { awk '{ s = substr($0, index($0, ") ") + 2); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
wrk_args=(-t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout "${WRK_TIMEOUT}s" --latency -s "$here/lib/wrk-summary.lua")
declare -A LINE CPU BODY
for name in "${ORDER[@]}"; do
  url="http://$NODE${PATHS[$name]}"
  BODY[$name]=$(curl -sS -o /dev/null -w '%{http_code} %{size_download}' "$url")
  echo "wrk $name: $url" >&2
  if [ "$WARMUP" -gt 0 ]; then
    timeout $(( WARMUP + 30 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout "${WRK_TIMEOUT}s" "$url" >/dev/null
  fi
  t0=$(ticks "$NODE_PID"); s0=$(date +%s%3N)
  timeout $(( DURATION + 30 )) wrk "${wrk_args[@]}" "$url" >"$work/wrk-$name.txt"
  t1=$(ticks "$NODE_PID"); s1=$(date +%s%3N)
  CPU[$name]=$(awk -v a="$t0" -v b="$t1" -v x="$s0" -v y="$s1" -v hz="$hz" 'BEGIN{printf "%.2f", (b - a) / hz / ((y - x) / 1000)}')
  LINE[$name]=$(grep '^WRK ' "$work/wrk-$name.txt" || echo "WRK missing")
done

field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
mkdir -p "$here/results"
result="$here/results/rest-$stamp.txt"
{
  echo "## rest   $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "machine : $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average before run: $LOAD_BEFORE; $(java -version 2>&1 | head -1)"
  echo "server  : Floorcast node (deploy/run.sh, -Xmx$HEAP), embedded PostgreSQL, pid $NODE_PID"
  echo "client  : $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2) on the same machine, loopback"
  echo "command : $COMMAND"
  echo "seed    : $(seed_value total_sessions) sessions through the live protocol in $(seed_value seed_seconds) s: recap session $recap_id ($(seed_value recap_tracks) plays, $(seed_value recap_likes) likes), $HISTORY ended × $HISTORY_TRACKS plays, $(seed_value live_sessions) live with $(seed_value dancers) listeners; $(seed_value total_tracks) plays, $(seed_value total_likes) likes, $(seed_value tempo_votes) tempo votes in all; likes refused as already liked (a history session replayed a track): $(seed_value refused_likes), tempo votes refused: $(seed_value refused_tempo_votes)"
  echo "read side: recap complete $(( (recap_seen - seed_end) ))ms after the seed's last ACK (polled every 0.5 s); all routes showing the seed after $(( (caught_up - seed_end) ))ms (global stats are cached server-side, rest-cache-ttl)"
  echo "method  : each route in turn: ${WARMUP}s unrecorded warm-up, then wrk ${wrk_args[*]} URL"
  echo "          wrk is closed-loop (each connection sends its next request when the previous answer arrived): it"
  echo "          measures with coordinated omission, so a server stall shows as fewer requests, not as high latency."
  echo "          wrk2 (constant rate, corrected latencies) is not packaged in Debian and is not used here."
  echo "target  : hot routes ≥ 5,000 req/s with p99 ≤ 20 ms (issue #5); /health is the floor of the same stack"
  printf '%-8s %-58s %9s %8s %8s %8s %9s %9s %10s %7s %12s %11s\n' route path "req/s" "p50 ms" "p90 ms" "p99 ms" "p99.9 ms" "max ms" "non-2xx/3xx" errors "status/bytes" server_cores
  for name in "${ORDER[@]}"; do
    l=${LINE[$name]}
    errors=$(( $(field "$l" connect_errors) + $(field "$l" read_errors) + $(field "$l" write_errors) + $(field "$l" timeouts) ))
    printf '%-8s %-58s %9s %8s %8s %8s %9s %9s %10s %7s %12s %11s\n' "$name" "${PATHS[$name]}" \
      "$(field "$l" req_per_s)" "$(field "$l" p50_ms)" "$(field "$l" p90_ms)" "$(field "$l" p99_ms)" \
      "$(field "$l" p99.9_ms)" "$(field "$l" max_ms)" "$(field "$l" non_2xx_3xx)" "$errors" "${BODY[$name]// //}" "${CPU[$name]}"
  done
  echo "errors = wrk socket connect/read/write errors + timeouts (${WRK_TIMEOUT}s); status/bytes = one curl of the route before its run"
  echo
  for name in "${ORDER[@]}"; do
    echo "--- wrk output, $name"
    cat "$work/wrk-$name.txt"
  done
} | tee "$result"
echo "written: $result"
