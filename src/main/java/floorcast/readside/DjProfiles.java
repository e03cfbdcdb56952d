package floorcast.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** A DJ's public profile (rest.md §4.7): only the account's own sessions, newest first, at most 20. */
public final class DjProfiles {
  public static final int SESSION_LIMIT = 20;
  /** Longer than any slug a display name can produce in practice; longer input matches nothing. */
  private static final int MAX_SLUG_LENGTH = 512;

  public record ProfileSession(String id, String djName, Instant startedAt, Instant endedAt, long trackCount) {}

  public record Profile(String slug, String displayName, List<ProfileSession> sessions) {
    public long totalTracks() {
      return sessions.stream().mapToLong(ProfileSession::trackCount).sum();
    }
  }

  private final DataSource dataSource;

  public DjProfiles(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public Optional<Profile> bySlug(String slug) throws SQLException {
    if (slug == null || slug.isEmpty() || slug.length() > MAX_SLUG_LENGTH || !StoredText.storable(slug)) {
      return Optional.empty();
    }
    try (Connection c = dataSource.getConnection()) {
      long userId;
      String displayName;
      try (PreparedStatement ps = c.prepareStatement("SELECT id, display_name FROM dj_users WHERE slug = ?")) {
        ps.setString(1, slug);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return Optional.empty();
          userId = rs.getLong("id");
          displayName = rs.getString("display_name");
        }
      }
      List<ProfileSession> sessions = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT s.id, s.dj_name, s.started_at, s.ended_at,"
                  + " (SELECT count(*) FROM played_tracks p WHERE p.session_id = s.id) AS track_count"
                  + " FROM sessions s WHERE s.dj_user_id = ? ORDER BY s.started_at DESC, s.id LIMIT " + SESSION_LIMIT)) {
        ps.setLong(1, userId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sessions.add(
                new ProfileSession(
                    rs.getString("id"),
                    rs.getString("dj_name"),
                    SqlTime.instant(rs, "started_at"),
                    SqlTime.instant(rs, "ended_at"),
                    rs.getLong("track_count")));
          }
        }
      }
      return Optional.of(new Profile(slug, displayName, sessions));
    }
  }
}
