-- Journal integrity checks (reliability.md §6, I1–I3, I5, I6) for Floorcast's session events. Must return 0 rows.
--   psql "$PGDATABASE" -f deploy/integrity.sql
-- Only persistence ids 'DjSession|<sessionId>' are checked: the journal also holds Pekko's remember-entities
-- events ('/sharding/DjSessionShard/…'), which are binary and have their old events deleted after snapshots.
-- I4 (every ACKed messageId of a client ledger is journaled) needs the ledger and runs in the fault tests.
WITH dj AS MATERIALIZED (
  SELECT persistence_id, sequence_number, ordering, writer, event_payload
  FROM event_journal
  WHERE persistence_id LIKE 'DjSession|%'
),
dj_json AS MATERIALIZED (
  SELECT persistence_id, sequence_number, convert_from(event_payload, 'UTF8')::jsonb AS payload FROM dj
)
-- I1 no gaps, starts at 1
SELECT 'I1 gap' AS check_name, persistence_id,
       format('lo=%s hi=%s n=%s', min(sequence_number), max(sequence_number), count(*)) AS detail
FROM dj GROUP BY persistence_id
HAVING min(sequence_number) <> 1 OR max(sequence_number) <> count(*)
UNION ALL
-- I2 single writer: a writer never comes back after another one took over
SELECT 'I2 writer returned', persistence_id, format('writer=%s runs=%s', writer, count(DISTINCT run))
FROM (SELECT persistence_id, writer,
             sequence_number - row_number() OVER (PARTITION BY persistence_id, writer ORDER BY sequence_number) AS run
      FROM dj) w
GROUP BY persistence_id, writer HAVING count(DISTINCT run) > 1
UNION ALL
-- I3 insert order agrees with sequence order
SELECT 'I3 insert order', persistence_id, format('sequence_number=%s', sequence_number)
FROM (SELECT persistence_id, sequence_number, ordering,
             lag(ordering) OVER (PARTITION BY persistence_id ORDER BY sequence_number) AS prev
      FROM dj) x
WHERE prev > ordering
UNION ALL
-- I5 no command applied twice
SELECT 'I5 duplicate messageId', persistence_id, format('messageId=%s count=%s', payload ->> 'messageId', count(*))
FROM dj_json WHERE payload ? 'messageId'
GROUP BY persistence_id, payload ->> 'messageId' HAVING count(*) > 1
UNION ALL
-- I6 no snapshot ahead of its journal
SELECT 'I6 snapshot ahead', s.persistence_id, format('snapshot=%s journal=%s', s.sequence_number, j.hi)
FROM snapshot s
LEFT JOIN (SELECT persistence_id, max(sequence_number) AS hi FROM dj GROUP BY persistence_id) j USING (persistence_id)
WHERE s.persistence_id LIKE 'DjSession|%' AND (j.hi IS NULL OR s.sequence_number > j.hi)
ORDER BY 1, 2;
