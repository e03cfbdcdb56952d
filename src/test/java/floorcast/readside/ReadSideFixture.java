package floorcast.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Builds read-side rows directly (REST tests read what the projection would have written). Like the projection, every
 * write of a recap-visible row gives its session a new read version ({@code ReadVersions}), so recap render caches
 * see it; {@link #unversionedDjName} is the one write that deliberately does not.
 */
public final class ReadSideFixture {
  private final DataSource dataSource;

  public ReadSideFixture(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public static LocalDateTime utc(Instant i) {
    return i == null ? null : LocalDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private long insert(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        Object a = args[i] instanceof Instant t ? utc(t) : args[i];
        ps.setObject(i + 1, a);
      }
      if (sql.contains("RETURNING")) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String BUMP = "UPDATE sessions SET read_version = nextval('session_read_version_seq') WHERE id = ";

  private void bump(String sessionId) {
    insert(BUMP + "?", sessionId);
  }

  /**
   * Changes a session's DJ name without a new read version: a write no production path makes, used by tests to tell
   * whether a recap came from the render cache (old name) or from a fresh query (new name).
   */
  public void unversionedDjName(String sessionId, String djName) {
    insert("UPDATE sessions SET dj_name = ? WHERE id = ?", djName, sessionId);
  }

  public long user(String email, String displayName, String slug) {
    return insert(
        "INSERT INTO dj_users (email, password_hash, display_name, slug) VALUES (?, 'x', ?, ?) RETURNING id",
        email, displayName, slug);
  }

  public void token(long userId, String rawToken) {
    insert("INSERT INTO dj_tokens (dj_user_id, token) VALUES (?, ?)", (int) userId, SqlTokenAuthenticator.sha256Hex(rawToken));
  }

  public void session(String id, Long userId, String djName, Instant startedAt, Instant endedAt) {
    insert(
        "INSERT INTO sessions (id, dj_user_id, dj_name, started_at, ended_at) VALUES (?, ?, ?, ?, ?)",
        id, userId == null ? null : userId.intValue(), djName, startedAt, endedAt);
  }

  public long play(String sessionId, String artist, String title, Instant playedAt) {
    long id =
        insert(
            "INSERT INTO played_tracks (session_id, artist, title, played_at, track_key) VALUES (?, ?, ?, ?, ?) RETURNING id",
            sessionId, artist, title, playedAt, floorcast.session.TrackKey.of(artist, title));
    bump(sessionId);
    return id;
  }

  public void metrics(long playId, Integer bpm, String key, Integer energy, Integer danceability, Integer brightness, Integer acousticness, Integer groove) {
    insert(
        "UPDATE played_tracks SET bpm = ?, key = ?, energy = ?, danceability = ?, brightness = ?, acousticness = ?, groove = ? WHERE id = ?",
        bpm, key, energy, danceability, brightness, acousticness, groove, playId);
    insert(BUMP + "(SELECT session_id FROM played_tracks WHERE id = ?)", playId);
  }

  public long like(String sessionId, String clientId, long playId, Instant at) {
    long id =
        insert(
            "INSERT INTO likes (session_id, client_id, played_track_id, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            sessionId, clientId, (int) playId, at);
    bump(sessionId);
    return id;
  }

  public void tempo(String sessionId, String artist, String title, int slower, int perfect, int faster, Long playId, Instant at) {
    insert(
        "INSERT INTO tempo_votes (session_id, track_artist, track_title, slower_count, perfect_count, faster_count, created_at, played_track_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        sessionId, artist, title, slower, perfect, faster, at, playId == null ? null : playId.intValue());
    bump(sessionId);
  }

  public void poll(long id, String sessionId, String question, String optionsJson, String status, String artist, String title, Instant startedAt, Instant endedAt) {
    insert(
        "INSERT INTO polls (id, session_id, question, options, status, current_track_artist, current_track_title, started_at, ended_at)"
            + " VALUES (?, ?, ?, ?::json, ?, ?, ?, ?, ?)",
        id, sessionId, question, optionsJson, status, artist, title, startedAt, endedAt);
    bump(sessionId);
  }

  public void vote(long pollId, String clientId, int option, Instant at) {
    insert("INSERT INTO poll_votes (poll_id, client_id, option_index, voted_at) VALUES (?, ?, ?, ?)", pollId, clientId, option, at);
    insert(BUMP + "(SELECT session_id FROM polls WHERE id = ?)", pollId);
  }
}
