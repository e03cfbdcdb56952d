package floorcast.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The read-side version of a session ({@code sessions.read_version}, migration V6): every transaction that changes
 * anything the session's recap shows calls {@link #bump} on its own connection before it commits, so a reader that
 * sees the same version sees the same recap rows. Values come from {@code session_read_version_seq} and are never
 * reused. Writers: the projection (once per session per group), fingerprint sync, the Pika! import.
 */
public final class ReadVersions {
  /** The version and the owner of a session row: what the recap route needs before it may serve a rendered copy. */
  public record Stamp(long version, Long djUserId) {}

  private final DataSource dataSource;

  public ReadVersions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Gives each of these sessions a new version, on the caller's transaction, in one statement (a batch of one UPDATE
   * per session doubled the projection's statements: under the T4 write load it fell behind). Rows are locked in id
   * order first, so two writers bumping overlapping sets cannot deadlock on the sessions rows. Ids without a row are
   * ignored.
   */
  public static void bump(Connection c, Collection<String> sessionIds) throws SQLException {
    if (sessionIds.isEmpty()) return;
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH locked AS (SELECT id FROM sessions WHERE id = ANY(?) ORDER BY id FOR UPDATE)"
                + " UPDATE sessions SET read_version = nextval('session_read_version_seq')"
                + " FROM locked WHERE sessions.id = locked.id")) {
      ps.setArray(1, c.createArrayOf("text", sessionIds.toArray()));
      ps.executeUpdate();
    }
  }

  /** One primary-key lookup; empty when the session has no row (or its id cannot be stored). */
  public Optional<Stamp> stamp(String sessionId) throws SQLException {
    if (!SessionIds.storable(sessionId)) return Optional.empty();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT read_version, dj_user_id FROM sessions WHERE id = ?")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        long version = rs.getLong(1);
        long owner = rs.getLong(2);
        return Optional.of(new Stamp(version, rs.wasNull() ? null : owner));
      }
    }
  }
}
