#!/usr/bin/env bash
# Where PostgreSQL spends its time during a benchmark: samples the active client backends of pg_stat_activity every
# 100 ms for a fixed time and prints the counts by wait event and by statement. Bounded by --seconds.
#   load-tests/pg-activity-sample.sh --port 15498 --seconds 40
set -euo pipefail
port=15498 secs=40
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
end=$(( $(date +%s) + secs ))
while [ "$(date +%s)" -lt "$end" ]; do
  psql -h 127.0.0.1 -p "$port" -U postgres -At -F '|' -c "SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, '-'),
    regexp_replace(left(query, 90), '\s+', ' ', 'g') FROM pg_stat_activity
    WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()" >> "$out" 2>/dev/null || true
  sleep 0.1
done
echo "active backend samples: $(wc -l < "$out")"
echo "-- by wait event"; cut -d'|' -f1,2 "$out" | sort | uniq -c | sort -rn | head -10
echo "-- by statement"; cut -d'|' -f3 "$out" | cut -c1-80 | sort | uniq -c | sort -rn | head -10
