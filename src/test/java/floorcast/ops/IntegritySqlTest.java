package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import floorcast.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * deploy/integrity.sql on a real migrated database: silent on a healthy journal (including Pekko's binary
 * remember-entities rows, whose deleted old events look like gaps) and catching each seeded violation.
 */
class IntegritySqlTest {
  static final String SQL;

  static {
    try {
      SQL = Files.readString(Path.of("deploy/integrity.sql"));
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static void event(Connection c, String pid, long seq, String writer, String json) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO event_journal(persistence_id, sequence_number, writer, event_ser_id, event_ser_manifest, event_payload) VALUES (?,?,?,?,?,?)")) {
      st.setString(1, pid);
      st.setLong(2, seq);
      st.setString(3, writer);
      st.setInt(4, 33);
      st.setString(5, "floorcast.session.SessionEvent$TrackPlayed");
      st.setBytes(6, json.getBytes(StandardCharsets.UTF_8));
      st.executeUpdate();
    }
  }

  static void binaryEvent(Connection c, String pid, long seq) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO event_journal(persistence_id, sequence_number, writer, event_ser_id, event_ser_manifest, event_payload) VALUES (?,?,'w',13,'A',?)")) {
      st.setString(1, pid);
      st.setLong(2, seq);
      st.setBytes(3, new byte[] {(byte) 0xff, 0x00, 0x17});
      st.executeUpdate();
    }
  }

  static void snapshot(Connection c, String pid, long seq) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO snapshot(persistence_id, sequence_number, created, snapshot_ser_id, snapshot_ser_manifest, snapshot_payload) VALUES (?,?,0,33,'S',?)")) {
      st.setString(1, pid);
      st.setLong(2, seq);
      st.setBytes(3, "{}".getBytes(StandardCharsets.UTF_8));
      st.executeUpdate();
    }
  }

  static List<String> violations(Connection c) throws Exception {
    List<String> found = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(SQL)) {
      while (rs.next()) found.add(rs.getString(1) + " " + rs.getString(2));
    }
    return found;
  }

  @Test
  void healthyJournalPassesAndEachViolationIsCaught() throws Exception {
    DataSource ds = TestDatabase.dataSource(TestDatabase.fresh());
    try (Connection c = ds.getConnection()) {
      assertEquals(List.of(), violations(c), "empty journal");

      event(c, "DjSession|good", 1, "w1", "{\"messageId\":\"m1\"}");
      event(c, "DjSession|good", 2, "w1", "{\"messageId\":\"m2\"}");
      event(c, "DjSession|good", 3, "w2", "{\"type\":\"timer\"}"); // hand-off to a new writer is fine
      snapshot(c, "DjSession|good", 2);
      binaryEvent(c, "/sharding/DjSessionShard/7", 41); // older events deleted after a snapshot
      binaryEvent(c, "/sharding/DjSessionShard/7", 42);
      assertEquals(List.of(), violations(c), "healthy journal");

      event(c, "DjSession|gap", 1, "w1", "{}");
      event(c, "DjSession|gap", 3, "w1", "{}");
      event(c, "DjSession|aba", 1, "wA", "{}");
      event(c, "DjSession|aba", 2, "wB", "{}");
      event(c, "DjSession|aba", 3, "wA", "{}");
      event(c, "DjSession|inverted", 2, "w1", "{}"); // inserted before its predecessor
      event(c, "DjSession|inverted", 1, "w1", "{}");
      event(c, "DjSession|twice", 1, "w1", "{\"messageId\":\"same\"}");
      event(c, "DjSession|twice", 2, "w1", "{\"messageId\":\"same\"}");
      snapshot(c, "DjSession|ahead", 5);

      assertEquals(
          List.of(
              "I1 gap DjSession|gap",
              "I2 writer returned DjSession|aba",
              "I2 writer returned DjSession|gap", // a gap splits one writer's run in two: I2 sees it as well
              "I3 insert order DjSession|inverted",
              "I5 duplicate messageId DjSession|twice",
              "I6 snapshot ahead DjSession|ahead"),
          violations(c));
    }
  }
}
