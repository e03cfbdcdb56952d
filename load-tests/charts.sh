#!/usr/bin/env bash
# Draws the benchmark charts from the scenario reports in load-tests/results/ into docs/charts/:
#   latency-vs-dancers.png     delivery p50/p99 vs dancers: Floorcast, the floor (--floor runs), Pika!'s reference
#   memory-vs-connections.png  server RSS and heap after GC vs connections
# Per server (Floorcast / floor) and size, the latest report wins. Default scenario: fanout (one session, as
# Pika!'s reference); another one with --scenario NAME. java.awt headless, no dependencies beyond this module.
#   load-tests/charts.sh [--scenario fanout] [--results DIR] [--out DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
scenario=fanout; results="$here/results"; out="$repo/docs/charts"
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) scenario=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--scenario NAME] [--results DIR] [--out DIR]" >&2; exit 2 ;;
  esac
done
cp_file="$here/target/classpath.txt"
if [ ! -f "$cp_file" ] || [ -n "$(find "$here/src" "$here/pom.xml" -newer "$cp_file" -print -quit)" ]; then
  ( cd "$here" && mvn -B -q -o package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2 )
fi
exec java -Djava.awt.headless=true -cp "$here/target/classes:$(cat "$cp_file")" floorcast.load.chart.Charts \
  "$results" "$out" "$scenario"
