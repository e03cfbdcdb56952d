package floorcast.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Bulk update of track analysis values (rest.md §4.5): owner mode overwrites at any time; fill-in mode (no token)
 * only sets empty values, only while the session is live or within 24 h after its last activity.
 */
public final class FingerprintSync {
  public static final int MAX_ENTRIES = 500;
  public static final Duration FILL_IN_WINDOW = Duration.ofHours(24);

  public enum Mode {
    OWNER,
    FILL_IN
  }

  /** What the mode checks need: the owner, and whether fill-in is still allowed at {@code now}. */
  public record SessionAccess(Long djUserId, boolean live, Instant lastActivityAt) {
    public boolean fillInAllowed(Instant now) {
      return live || !now.isAfter(lastActivityAt.plus(FILL_IN_WINDOW));
    }
  }

  private final DataSource dataSource;

  public FingerprintSync(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A session without end marker is live (data.md §3: ended_at is set when it ends). */
  public Optional<SessionAccess> access(String sessionId) throws SQLException {
    if (!SessionIds.storable(sessionId)) return Optional.empty();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT s.dj_user_id, s.ended_at IS NULL AS live,"
                    + " greatest(s.started_at, s.ended_at, (SELECT max(played_at) FROM played_tracks p WHERE p.session_id = s.id))"
                    + " AS last_activity FROM sessions s WHERE s.id = ?")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        long owner = rs.getLong("dj_user_id");
        Long djUserId = rs.wasNull() ? null : owner;
        return Optional.of(new SessionAccess(djUserId, rs.getBoolean("live"), SqlTime.instant(rs, "last_activity")));
      }
    }
  }

  /**
   * Updates the plays and, when any matched, the session's read version, in one transaction.
   *
   * @return the number of entries that matched at least one play
   */
  public int sync(String sessionId, List<FingerprintEntry> entries, Mode mode) throws SQLException {
    String assign = mode == Mode.OWNER ? "COALESCE(?, %1$s)" : "COALESCE(%1$s, ?)";
    StringBuilder sql = new StringBuilder("UPDATE played_tracks SET ");
    String[] columns = {"bpm", "key", "energy", "danceability", "brightness", "acousticness", "groove"};
    for (int i = 0; i < columns.length; i++) {
      if (i > 0) sql.append(", ");
      sql.append(columns[i]).append(" = ").append(String.format(assign, columns[i]));
    }
    sql.append(" WHERE session_id = ? AND track_key = ?");
    int synced = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      c.setAutoCommit(false);
      try {
        for (FingerprintEntry entry : entries) {
          if (entry == null || !entry.identified()) continue;
          FingerprintEntry.Usable u = entry.usable();
          if (!u.any()) continue;
          setInt(ps, 1, u.bpm());
          ps.setString(2, u.key());
          setInt(ps, 3, u.energy());
          setInt(ps, 4, u.danceability());
          setInt(ps, 5, u.brightness());
          setInt(ps, 6, u.acousticness());
          setInt(ps, 7, u.groove());
          ps.setString(8, sessionId);
          ps.setString(9, entry.trackKey());
          if (ps.executeUpdate() > 0) synced++;
        }
        // the recap shows these columns: a new read version on the same transaction (ReadVersions)
        if (synced > 0) ReadVersions.bump(c, List.of(sessionId));
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
    return synced;
  }

  private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
    if (value == null) ps.setNull(index, Types.INTEGER);
    else ps.setInt(index, value);
  }
}
