package floorcast.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** {@code /api/stats/top-tracks} and {@code /api/stats/global} (rest.md §4.6). */
public final class GlobalStats {
  public static final int TOP_TRACKS = 10;

  public record TopTrack(String artist, String title, long likeCount) {}

  public record Totals(long totalSessions, long totalTracks, long totalLikes) {}

  private final DataSource dataSource;

  public GlobalStats(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Exact-case (artist, title) groups of liked plays, most likes first, ties by artist then title. */
  public List<TopTrack> topTracks() throws SQLException {
    List<TopTrack> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT p.artist, p.title, count(*) AS like_count FROM likes l JOIN played_tracks p ON p.id = l.played_track_id"
                    + " GROUP BY p.artist, p.title ORDER BY like_count DESC, p.artist, p.title LIMIT " + TOP_TRACKS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(new TopTrack(rs.getString(1), rs.getString(2), rs.getLong(3)));
    }
    return out;
  }

  public Totals totals() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM played_tracks), (SELECT count(*) FROM likes)");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
  }
}
