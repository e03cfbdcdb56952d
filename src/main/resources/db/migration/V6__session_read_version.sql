-- Read-side version of a session (docs/architecture.md, "Recap render cache"). Every transaction that changes what
-- the session's recap shows (plays, likes, tempo tallies, polls, votes, the sessions row) sets read_version to a
-- new value of this sequence, in that same transaction; the recap route compares it with the version its rendered
-- copy was made from (one primary-key lookup). A sequence rather than a counter: a value is never handed out twice,
-- not even to a row deleted and inserted again under the same id.
-- Expand-only: the column is added with a constant default (no table rewrite, existing rows read 0); new rows get a
-- fresh value from the sequence.
-- The ALTERs lock sessions briefly (ACCESS EXCLUSIVE): give up rather than queue behind a long reader
-- (operations §7.4); LOCAL: only this migration's transaction, never a pooled connection afterwards.
SET LOCAL lock_timeout = '5s';
CREATE SEQUENCE session_read_version_seq AS bigint START WITH 1;
ALTER TABLE sessions ADD COLUMN read_version bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ALTER COLUMN read_version SET DEFAULT nextval('session_read_version_seq');
ALTER SEQUENCE session_read_version_seq OWNED BY sessions.read_version;
