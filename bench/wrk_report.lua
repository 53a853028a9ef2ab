-- wrk reporter for bench/run.py: one JSON line with the run's totals and latency percentiles (microseconds), and
-- the latency at the middle of each 0.5% of the requests (200 values), so bench/run.py can merge the percentiles
-- of several short runs of one page (the mixed phase alternates stretches with and without writes).
done = function(summary, latency, requests)
  local errors = summary.errors
  local quantiles = {}
  for k = 0, 199 do
    quantiles[#quantiles + 1] = string.format("%d", latency:percentile((k + 0.5) / 2))
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"socket_errors": %d, "status_errors": %d, "quantiles_us": [%s]}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    table.concat(quantiles, ", ")))
end
