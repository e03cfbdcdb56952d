-- Cluster-wide auth rate limit (rest.md §5): one fixed window per client IP, counted with an atomic upsert so
-- every node shares the same budget. Rows of expired windows are deleted by the nodes; losing the table loses
-- nothing but counters.
CREATE TABLE auth_rate_windows (
  client_ip    text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL);
CREATE INDEX idx_auth_rate_windows_start ON auth_rate_windows (window_start);
