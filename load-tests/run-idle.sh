#!/usr/bin/env bash
# idle: T6, memory per idle connection. N dancers (default 10,000) connect to one session, subscribe and stay idle
# (one track at the start, then only the server's keep-alive pings). The node's RSS, then its live heap after a full
# GC (`jcmd GC.run`, then `GC.heap_info`) and its RSS again are read three times: before the first connect, at the
# start of the window (all connected and subscribed, warm-up over) and a few seconds after the clients closed. Per
# connection = (connected − before) / N; the third reading shows whether the memory came back. Class histograms
# (before / connected) give the classes that grew most and a split by origin; with
# NODE_JAVA_OPTS=-XX:NativeMemoryTracking=summary also the committed memory growth by JVM area.
# `--headers browser`: the clients send a phone browser's upgrade headers (the server's header parsing keeps some).
# The full GCs are outside the latency figures (no broadcasts in the window); this scenario measures memory only.
SCENARIO=idle
DANCERS=10000; DURATION=30; RAMP=30; WARMUP=30; SESSIONS=1; TRACK_INTERVAL=3600; PER_PROCESS=9000
SCENARIO_ARGS=(--lobby false)
NODE_CONFIG=()

live_memory() { # $1 = label; RSS as it is, then heap used and RSS after a full GC, in MB
  local used rss rss_as_is
  rss_as_is=$(awk '$1 == "VmRSS:" { printf "%.1f", $2 / 1024 }' "/proc/$NODE_PID/status")
  jcmd "$NODE_PID" GC.run >/dev/null
  used=$(jcmd "$NODE_PID" GC.heap_info |
    awk '!done && /heap/ && /used/ { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); printf "%.1f", v / 1024; done = 1; break } }')
  rss=$(awk '$1 == "VmRSS:" { printf "%.1f", $2 / 1024 }' "/proc/$NODE_PID/status")
  echo "$1: rss_mb=$rss_as_is heap_after_full_gc_mb=$used rss_after_full_gc_mb=$rss"
}
histogram() { jcmd "$NODE_PID" GC.class_histogram | awk '$1 ~ /^[0-9]+:$/ { print $4, $2, $3 }' >"$1"; }
# (no `head`/`exit` in these pipelines: under pipefail the writer's SIGPIPE would fail the hook)
# the 20 classes that grew most between two histograms, per connection (bytes and instances / $DANCERS)
histogram_growth() {
  awk -v n="$DANCERS" 'NR == FNR { c[$1] = $2; b[$1] = $3; next }
       { d = $3 - b[$1]; if (d > 0) printf "%12.0f %8.2f %s\n", d / n, ($2 - c[$1]) / n, $1 }' "$1" "$2" |
    sort -rn | awk 'NR <= 20 { printf "  heap growth per connection: %6d B %8.2f objects  %s\n", $1, $2, $3 }'
  # totals by origin: Floorcast's own classes, pekko-stream, pekko-http, all classes
  awk -v n="$DANCERS" 'NR == FNR { b[$1] = $3; next }
       { d = $3 - b[$1]; all += d
         if ($1 ~ /^floorcast\./) own += d; else if ($1 ~ /pekko\.stream\./) st += d; else if ($1 ~ /pekko\.http\./) ht += d }
       END { printf "  heap growth per connection by origin: floorcast %.0f B, pekko-stream classes %.0f B, pekko-http classes %.0f B, all classes %.0f B\n", own / n, st / n, ht / n, all / n }' "$1" "$2"
}
# with NODE_JAVA_OPTS=-XX:NativeMemoryTracking=summary: committed memory growth by JVM area (heap, threads, GC, …)
native_baseline() { jcmd "$NODE_PID" VM.native_memory baseline >/dev/null || true; }
native_growth() {
  jcmd "$NODE_PID" VM.native_memory summary.diff 2>/dev/null |
    awk '/^-/ && /committed=/ && /[+-][0-9]+KB\)/ { sub(/^- */, ""); print "  native memory growth: " $0 }' || true
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$NODE_PID/stat"; }
before_load() {
  live_memory "memory before the first connect" >"$work/memory.before"
  { cpu_ticks; date +%s%3N; } >"$work/cpu.before"
  histogram "$work/histogram.before"
  native_baseline
}
during_window() {
  # server CPU from the first connect to the window start (the joins and the warm-up), per connection
  { cat "$work/cpu.before"; cpu_ticks; date +%s%3N; } | paste -sd' ' |
    awk -v n="$DANCERS" -v hz="$(getconf CLK_TCK)" '{ cpu = ($3 - $1) / hz; wall = ($4 - $2) / 1000
      printf "server cpu while joining: %.1f s over %.1f s wall (%.2f cores), %.2f ms per connection\n", cpu, wall, cpu / wall, cpu * 1000 / n }' \
    >>"$out/server.extra"
  live_memory "memory with all dancers connected (window start)" >>"$out/server.extra"
  histogram "$work/histogram.connected"
  histogram_growth "$work/histogram.before" "$work/histogram.connected" >>"$out/server.extra"
  native_growth >>"$out/server.extra"
}
after_load() {
  cat "$work/memory.before"
  sleep 5
  live_memory "memory 5 s after the clients closed"
}
source "$(dirname "$0")/lib/coordinator.sh"
