package floorcast.readside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.session.DjSession;
import floorcast.session.SessionEvent;
import floorcast.session.SessionEvent.DancerAction;
import floorcast.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DjSession#projected} (which events get the read-side tag) and {@link SessionEventRows} (which events write
 * read-side rows) classify the journal twice. An event that writes rows but is not tagged never reaches the
 * projection: its rows are silently missing. For a sample of every event type, the rows it writes are counted by
 * PostgreSQL itself (rows inserted, updated or deleted by the transaction, any table) on a rolled-back transaction.
 */
class TaggedEventsCoverRowsTest {
  private static DataSource dataSource;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.dataSource(TestDatabase.fresh());
  }

  @Test
  void everyEventAndDancerActionTypeHasASample() {
    assertEquals(
        names(SessionEvent.class.getPermittedSubclasses()),
        names(SessionEventSamples.events().keySet().toArray(Class<?>[]::new)),
        "every SessionEvent type needs a sample in SessionEventSamples");
    assertEquals(
        names(DancerAction.class.getPermittedSubclasses()),
        names(SessionEventSamples.actions().keySet().toArray(Class<?>[]::new)),
        "every DancerAction type needs a sample in SessionEventSamples");
  }

  @Test
  void everyEventThatWritesReadSideRowsIsTagged() throws SQLException {
    List<String> untaggedWithRows = new ArrayList<>();
    int writing = 0;
    int total = 0;
    for (List<SessionEvent> samples : SessionEventSamples.events().values()) {
      for (SessionEvent sample : samples) {
        long rows = rowsWrittenBy(sample);
        total++;
        if (rows > 0) writing++;
        if (rows > 0 && !DjSession.projected(sample)) untaggedWithRows.add(sample + " (" + rows + " rows)");
      }
    }
    // the count is not blind: some samples write rows (a play, a poll), others none (SeqReserved)
    assertTrue(writing > 0 && writing < total, writing + " of " + total + " samples wrote rows");
    assertEquals(List.of(), untaggedWithRows, "write read-side rows but DjSession.projected is false");
  }

  /** Rows {@code sample} writes after its {@link SessionEventSamples#context}, on a transaction rolled back after. */
  private static long rowsWrittenBy(SessionEvent sample) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (SessionEventRows rows = new SessionEventRows(c)) {
          for (SessionEvent e : SessionEventSamples.context(sample)) rows.apply(SessionEventSamples.SESSION, e);
          rows.flush();
          long before = rowsWrittenInTransaction(c);
          rows.apply(SessionEventSamples.SESSION, sample);
          rows.flush();
          return rowsWrittenInTransaction(c) - before;
        }
      } finally {
        c.rollback();
      }
    }
  }

  private static long rowsWrittenInTransaction(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Set<String> names(Class<?>[] types) {
    Set<String> s = new TreeSet<>();
    Arrays.stream(types).map(Class::getName).forEach(s::add);
    return s;
  }
}
