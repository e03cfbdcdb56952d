-- Offset store of pekko-projection-jdbc 1.0.0 (documented PostgreSQL schema; plugin contract, names fixed).
-- The read-side projection stores its offset here in the same transaction as its row writes (data.md §3).
-- manifest is VARCHAR(32) instead of the documented VARCHAR(4): wider never hurts, the store writes "SEQ".
CREATE TABLE IF NOT EXISTS pekko_projection_offset_store (
  projection_name VARCHAR(255) NOT NULL,
  projection_key  VARCHAR(255) NOT NULL,
  current_offset  VARCHAR(255) NOT NULL,
  manifest        VARCHAR(32) NOT NULL,
  mergeable       BOOLEAN NOT NULL,
  last_updated    BIGINT NOT NULL,
  PRIMARY KEY(projection_name, projection_key));

CREATE INDEX IF NOT EXISTS projection_name_index ON pekko_projection_offset_store (projection_name);

CREATE TABLE IF NOT EXISTS pekko_projection_management (
  projection_name VARCHAR(255) NOT NULL,
  projection_key  VARCHAR(255) NOT NULL,
  paused          BOOLEAN NOT NULL,
  last_updated    BIGINT NOT NULL,
  PRIMARY KEY(projection_name, projection_key));
