package floorcast.readside;

import static org.junit.jupiter.api.Assertions.assertEquals;

import floorcast.session.SessionEvent;
import floorcast.session.SessionEvent.DancerActionsRecorded;
import floorcast.session.SessionEvent.LikeAdded;
import floorcast.session.SessionEvent.LikeRemoved;
import floorcast.session.SessionEvent.TrackPlayed;
import floorcast.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Likes go to PostgreSQL as one batch; every other statement still sees them in event order (real PostgreSQL): a
 * removal right after the like, and a like after a new play of the same key (it links to that play).
 */
class BatchedLikesOrderTest {
  private static final String S = SessionEventSamples.SESSION;
  private static final String KEY = SessionEventSamples.KEY;
  private static final Instant AT = Instant.parse("2026-03-01T20:00:00Z");
  private static DataSource dataSource;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.dataSource(TestDatabase.fresh());
  }

  @Test
  void removalsAndNewPlaysSeeTheBatchedLikesInEventOrder() throws SQLException {
    List<SessionEvent> events = new ArrayList<>();
    events.add(new SessionEvent.SessionCreated(S, "DJ", null, "dj-client", true, AT, "0.3.0", "conn-1"));
    events.add(new TrackPlayed(SessionEventSamples.TRACK, KEY, true, AT.plusSeconds(1), "m1"));
    events.add(
        new DancerActionsRecorded(
            List.of(
                new LikeAdded("c1", KEY, AT.plusSeconds(2)),
                new LikeAdded("c2", KEY, AT.plusSeconds(2)),
                new LikeRemoved("c1", KEY, AT.plusSeconds(3)),
                new LikeAdded("c4", KEY, AT.plusSeconds(3))),
            List.of()));
    events.add(new TrackPlayed(SessionEventSamples.TRACK, KEY, true, AT.plusSeconds(300), "m2"));
    events.add(new DancerActionsRecorded(List.of(new LikeAdded("c3", KEY, AT.plusSeconds(301))), List.of()));
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (SessionEventRows rows = new SessionEventRows(c)) {
        for (SessionEvent e : events) rows.apply(S, e);
      }
      c.commit();
      assertEquals(List.of("c2@1", "c3@2", "c4@1"), likes(c));
    }
  }

  /** client@play-number (1 = the session's first play) of every like row. */
  private static List<String> likes(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT l.client_id, (SELECT count(*) FROM played_tracks q WHERE q.session_id = p.session_id"
                    + " AND q.id <= p.id) FROM likes l JOIN played_tracks p ON p.id = l.played_track_id"
                    + " WHERE l.session_id = ? ORDER BY l.client_id");
        ResultSet rs = bind(ps, S)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) out.add(rs.getString(1) + "@" + rs.getLong(2));
      return out;
    }
  }

  private static ResultSet bind(PreparedStatement ps, String session) throws SQLException {
    ps.setString(1, session);
    return ps.executeQuery();
  }
}
