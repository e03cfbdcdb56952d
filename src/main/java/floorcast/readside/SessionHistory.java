package floorcast.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The 50 newest plays of a session (rest.md §4.3). Blocking: call off actor threads. */
public final class SessionHistory {
  public static final int LIMIT = 50;

  public record Play(long id, String artist, String title, Instant playedAt) {}

  private final DataSource dataSource;

  public SessionHistory(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<Play> newestPlays(String sessionId) throws SQLException {
    List<Play> plays = new ArrayList<>();
    if (!SessionIds.storable(sessionId)) return plays;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, artist, title, played_at FROM played_tracks WHERE session_id = ?"
                    + " ORDER BY played_at DESC, id DESC LIMIT " + LIMIT)) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plays.add(new Play(rs.getLong("id"), rs.getString("artist"), rs.getString("title"), SqlTime.instant(rs, "played_at")));
        }
      }
    }
    return plays;
  }
}
