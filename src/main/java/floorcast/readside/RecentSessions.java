package floorcast.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The 5 most recently ended sessions (rest.md §4.2 {@code {S}/recent}). */
public final class RecentSessions {
  public static final int LIMIT = 5;

  public record EndedSession(String id, String djName, Instant startedAt, Instant endedAt) {}

  private final DataSource dataSource;

  public RecentSessions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<EndedSession> recent() throws SQLException {
    List<EndedSession> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, dj_name, started_at, ended_at FROM sessions WHERE ended_at IS NOT NULL"
                    + " ORDER BY ended_at DESC, id LIMIT " + LIMIT);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new EndedSession(
                rs.getString("id"), rs.getString("dj_name"), SqlTime.instant(rs, "started_at"), SqlTime.instant(rs, "ended_at")));
      }
    }
    return out;
  }
}
