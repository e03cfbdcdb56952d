-- wrk `done` hook of run-rest.sh: one machine-readable line with the run's totals and latency percentiles
-- (wrk merges all threads' histograms before calling it; latency values are in microseconds).
-- status = responses outside 2xx/3xx ("Non-2xx or 3xx responses" in wrk's own summary).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d seconds=%.2f req_per_s=%.0f bytes=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p99.9_ms=%.2f max_ms=%.2f non_2xx_3xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
