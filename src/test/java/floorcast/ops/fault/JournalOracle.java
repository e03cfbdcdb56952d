package floorcast.ops.fault;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL oracle of reliability.md §6 against the journal of the test's PostgreSQL: deploy/integrity.sql (I1–I3, I5,
 * I6 for {@code DjSession|<id>}), I4 for the client ledger (DJ events carry a top-level {@code messageId}, dancer
 * batch events a {@code messageIds} array), I5 for those arrays, and the poll timers (PollStarted.endsAt vs the
 * PollEnded with reason {@code expired}).
 */
final class JournalOracle {
  record PollTiming(String persistenceId, long pollId, Instant endsAt, Instant endedAt, String reason) {}

  private final String jdbcUrl;

  JournalOracle(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  private Connection connect() throws Exception {
    return DriverManager.getConnection(jdbcUrl, "postgres", "");
  }

  /** Violations reported by deploy/integrity.sql, one line each. */
  List<String> integrityViolations() throws Exception {
    String sql = Files.readString(Path.of("deploy/integrity.sql"));
    List<String> out = new ArrayList<>();
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
    }
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT persistence_id, id, count(*) FROM ("
                    + " SELECT persistence_id, jsonb_array_elements_text("
                    + "   convert_from(event_payload, 'UTF8')::jsonb -> 'messageIds') AS id"
                    + " FROM event_journal WHERE persistence_id LIKE 'DjSession|%'"
                    + "   AND jsonb_typeof(convert_from(event_payload, 'UTF8')::jsonb -> 'messageIds') = 'array') x"
                    + " GROUP BY 1, 2 HAVING count(*) > 1")) {
      while (rs.next()) {
        out.add("I5 duplicate dancer messageId " + rs.getString(1) + " " + rs.getString(2) + " x" + rs.getLong(3));
      }
    }
    return out;
  }

  /** I4: ledger entries with no journaled event carrying their messageId. */
  List<Ledger.Entry> ackedButNotJournaled(List<Ledger.Entry> ledger) throws Exception {
    List<Ledger.Entry> missing = new ArrayList<>();
    try (Connection c = connect()) {
      try (Statement st = c.createStatement()) {
        st.execute(
            "CREATE TEMP TABLE acked(message_id text PRIMARY KEY, session_id text, type text, acked_at bigint)");
      }
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO acked VALUES (?, ?, ?, ?)")) {
        for (Ledger.Entry e : ledger) {
          ins.setString(1, e.messageId());
          ins.setString(2, e.sessionId());
          ins.setString(3, e.type());
          ins.setLong(4, e.ackedAtMillis());
          ins.addBatch();
        }
        ins.executeBatch();
      }
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT a.message_id, a.session_id, a.type, a.acked_at FROM acked a WHERE NOT EXISTS ("
                      + " SELECT 1 FROM event_journal j, LATERAL (SELECT convert_from(j.event_payload, 'UTF8')::jsonb AS p) x"
                      + " WHERE j.persistence_id = 'DjSession|' || a.session_id"
                      + "   AND (x.p ->> 'messageId' = a.message_id"
                      + "        OR (jsonb_typeof(x.p -> 'messageIds') = 'array'"
                      + "            AND jsonb_exists(x.p -> 'messageIds', a.message_id))))")) {
        while (rs.next()) {
          missing.add(new Ledger.Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
        }
      }
    }
    return missing;
  }

  /** Every poll started in the journal with its end (or null endedAt when it has not ended). */
  List<PollTiming> pollTimings() throws Exception {
    Map<String, PollTiming> byKey = new HashMap<>();
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT persistence_id, event_ser_manifest, convert_from(event_payload, 'UTF8')"
                    + " FROM event_journal WHERE persistence_id LIKE 'DjSession|%'"
                    + " AND (event_ser_manifest LIKE '%PollStarted' OR event_ser_manifest LIKE '%PollEnded')"
                    + " ORDER BY persistence_id, sequence_number")) {
      while (rs.next()) {
        String pid = rs.getString(1);
        JsonNode p = LiveSocket.JSON.readTree(rs.getString(3));
        long pollId = p.path("pollId").asLong();
        String key = pid + "#" + pollId;
        if (rs.getString(2).endsWith("PollStarted")) {
          byKey.put(key, new PollTiming(pid, pollId, instant(p.get("endsAt")), null, null));
        } else {
          PollTiming started = byKey.get(key);
          Instant endsAt = started == null ? null : started.endsAt();
          byKey.put(key, new PollTiming(pid, pollId, endsAt, instant(p.get("at")), p.path("reason").asText()));
        }
      }
    }
    return new ArrayList<>(byKey.values());
  }

  static Duration lateness(PollTiming t) {
    return Duration.between(t.endsAt(), t.endedAt());
  }

  private static Instant instant(JsonNode n) {
    if (n == null || n.isNull()) return null;
    if (n.isNumber()) {
      double seconds = n.asDouble();
      return Instant.ofEpochSecond((long) seconds, (long) ((seconds % 1) * 1e9));
    }
    return Instant.parse(n.asText());
  }
}
