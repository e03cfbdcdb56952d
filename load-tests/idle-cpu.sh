#!/usr/bin/env bash
# Idle cost of one node: starts floorcast.ops.Main on a fresh embedded database, lets it settle, and reports the CPU
# (JVM + every PostgreSQL process, from /proc/<pid>/stat) over a fixed window. Bounded: settle + window, then stops.
#   load-tests/idle-cpu.sh [--settle 40] [--window 60] [--port 3091]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
settle=40 window=60 port=3091
while [ $# -gt 0 ]; do
  case "$1" in
    --settle) settle=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cp="$("$here/build.sh")"
data="$(mktemp -d /tmp/floorcast-idle-XXXX)"
PORT=$port FLOORCAST_DATA="$data" java -Xmx1g -cp "$cp" floorcast.ops.Main > "$data.log" 2>&1 &
node=$!
trap 'kill $node 2>/dev/null; wait $node 2>/dev/null; rm -rf "$data"' EXIT
sleep "$settle"
ticks() {
  local t=0 p
  for p in $node $(pgrep -f "postgres -D $data" || true) $(pgrep -P "$(pgrep -f "postgres -D $data" | head -1)" || true); do
    [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat)))
  done
  echo $t
}
a=$(ticks); sleep "$window"; b=$(ticks)
hz=$(getconf CLK_TCK)
echo "idle node: $(echo "scale=3; ($b - $a) / $hz / $window" | bc) cores (JVM + PostgreSQL) over ${window} s after ${settle} s"
