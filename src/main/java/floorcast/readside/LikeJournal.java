package floorcast.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** A dancer's like journal (rest.md §4.8): the 100 newest likes of a clientId with play and session. */
public final class LikeJournal {
  public static final int LIMIT = 100;
  private static final Pattern CLIENT_ID = Pattern.compile("^client_[A-Za-z0-9_-]+$", Pattern.CASE_INSENSITIVE);
  /** Longer ids are refused like malformed ones; the web client's ids are ~35 chars. */
  public static final int MAX_CLIENT_ID_LENGTH = 256;

  public record Like(long id, String sessionId, String artist, String title, Instant likedAt, String djName, Instant sessionDate) {}

  private final DataSource dataSource;

  public LikeJournal(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public static boolean validClientId(String clientId) {
    return clientId != null && clientId.length() <= MAX_CLIENT_ID_LENGTH && CLIENT_ID.matcher(clientId).matches();
  }

  public List<Like> likesOf(String clientId) throws SQLException {
    List<Like> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT l.id, l.session_id, p.artist, p.title, l.created_at, s.dj_name, s.started_at"
                    + " FROM likes l JOIN played_tracks p ON p.id = l.played_track_id JOIN sessions s ON s.id = l.session_id"
                    + " WHERE l.client_id = ? ORDER BY l.created_at DESC, l.id DESC LIMIT " + LIMIT)) {
      ps.setString(1, clientId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Like(
                  rs.getLong("id"),
                  rs.getString("session_id"),
                  rs.getString("artist"),
                  rs.getString("title"),
                  SqlTime.instant(rs, "created_at"),
                  rs.getString("dj_name"),
                  SqlTime.instant(rs, "started_at")));
        }
      }
    }
    return out;
  }
}
