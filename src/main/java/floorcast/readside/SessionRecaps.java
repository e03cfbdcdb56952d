package floorcast.readside;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The session recap of rest.md §4.4. */
public final class SessionRecaps {
  public static final int TRACK_LIMIT = 500;
  /** A session without end marker counts as ended 5 min after its last play (rest.md §4.4). */
  static final Duration OPEN_END = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Tempo(long slower, long perfect, long faster) {}

  public record Track(
      int position,
      String artist,
      String title,
      Integer bpm,
      String key,
      Integer energy,
      Integer danceability,
      Integer brightness,
      Integer acousticness,
      Integer groove,
      Instant playedAt,
      long likes,
      Tempo tempo) {}

  /** {@code winnerIndex} −1 and {@code winner} null without votes; {@code endedAt} null while active. */
  public record Poll(
      long id,
      String question,
      List<String> options,
      List<Long> votes,
      long totalVotes,
      int winnerIndex,
      String winner,
      Instant startedAt,
      Instant endedAt,
      String trackArtist,
      String trackTitle) {}

  /** {@code polls} is null in the public recap (no {@code polls} key at all). */
  public record Recap(
      String sessionId, String djName, Instant startedAt, Instant endedAt, List<Track> tracks, long totalLikes, List<Poll> polls) {
    public long totalPollVotes() {
      return polls == null ? 0 : polls.stream().mapToLong(Poll::totalVotes).sum();
    }
  }

  /**
   * A recap with what a render cache needs to know: the session's {@code read_version} in the same snapshot as the
   * rows, and from which instant on the content no longer depends on the clock ({@code stableFrom}; null while it
   * does: an open session without plays, or one whose last play is less than {@link #OPEN_END} ago, shows "now").
   * A copy is valid for any {@code now} at or after {@code stableFrom} as long as the version is unchanged.
   */
  public record VersionedRecap(Recap recap, long readVersion, Instant stableFrom) {
    public boolean owner() {
      return recap.polls() != null;
    }
  }

  private record SessionRow(String djName, Long djUserId, Instant startedAt, Instant endedAt, long readVersion) {}

  private final DataSource dataSource;

  public SessionRecaps(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * @param viewerUserId the user id of a validated token, or null; polls are included only when it equals the
   *     session's owner
   */
  public Optional<Recap> recap(String sessionId, Long viewerUserId, Instant now) throws SQLException {
    return versioned(sessionId, viewerUserId, now).map(VersionedRecap::recap);
  }

  /**
   * The recap and its version, read in one REPEATABLE READ snapshot: the version labels exactly the rows the recap
   * was built from (a write committed meanwhile has a newer version, so a copy stored under this one is never newer
   * than its label says).
   */
  public Optional<VersionedRecap> versioned(String sessionId, Long viewerUserId, Instant now) throws SQLException {
    if (!SessionIds.storable(sessionId)) return Optional.empty();
    try (Connection c = dataSource.getConnection()) {
      int isolation = c.getTransactionIsolation();
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        Optional<VersionedRecap> recap = load(c, sessionId, viewerUserId, now);
        c.commit();
        return recap;
      } finally {
        c.rollback();
        c.setReadOnly(false);
        c.setAutoCommit(true);
        c.setTransactionIsolation(isolation);
      }
    }
  }

  private Optional<VersionedRecap> load(Connection c, String sessionId, Long viewerUserId, Instant now) throws SQLException {
    SessionRow session = session(c, sessionId);
    if (session == null) return Optional.empty();
    Map<Long, Long> likesPerPlay = new HashMap<>();
    long totalLikes = 0;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT played_track_id, count(*) FROM likes WHERE session_id = ? GROUP BY played_track_id")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          likesPerPlay.put(rs.getLong(1), rs.getLong(2));
          totalLikes += rs.getLong(2);
        }
      }
    }
    Map<Long, Tempo> linkedTempo = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT played_track_id, sum(slower_count), sum(perfect_count), sum(faster_count) FROM tempo_votes"
                + " WHERE session_id = ? AND played_track_id IS NOT NULL GROUP BY played_track_id")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) linkedTempo.put(rs.getLong(1), new Tempo(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
      }
    }
    // imported tallies have no play link: the most recent one with the same artist and title (exact match)
    Map<List<String>, Tempo> unlinkedTempo = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT track_artist, track_title, slower_count, perfect_count, faster_count FROM tempo_votes"
                + " WHERE session_id = ? AND played_track_id IS NULL ORDER BY created_at DESC, id DESC")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          unlinkedTempo.putIfAbsent(
              List.of(rs.getString(1), rs.getString(2)), new Tempo(rs.getLong(3), rs.getLong(4), rs.getLong(5)));
        }
      }
    }
    List<Track> tracks = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, artist, title, bpm, key, energy, danceability, brightness, acousticness, groove, played_at"
                + " FROM played_tracks WHERE session_id = ? ORDER BY played_at, id LIMIT " + TRACK_LIMIT)) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long playId = rs.getLong("id");
          String artist = rs.getString("artist");
          String title = rs.getString("title");
          Tempo tempo = linkedTempo.get(playId);
          if (tempo == null) tempo = unlinkedTempo.get(List.of(artist, title));
          Instant playedAt = SqlTime.instant(rs, "played_at");
          tracks.add(
              new Track(
                  tracks.size() + 1,
                  artist,
                  title,
                  integer(rs, "bpm"),
                  rs.getString("key"),
                  integer(rs, "energy"),
                  integer(rs, "danceability"),
                  integer(rs, "brightness"),
                  integer(rs, "acousticness"),
                  integer(rs, "groove"),
                  playedAt,
                  likesPerPlay.getOrDefault(playId, 0L),
                  tempo));
        }
      }
    }
    Instant endedAt = session.endedAt();
    Instant stableFrom = Instant.MIN; // an end marker: nothing depends on the clock
    if (endedAt == null) {
      Instant lastPlayedAt = lastPlayedAt(c, sessionId);
      if (lastPlayedAt != null) {
        Instant openEnd = lastPlayedAt.plus(OPEN_END);
        endedAt = openEnd.isBefore(now) ? openEnd : now;
        // from openEnd on every later "now" gives openEnd; before it, the recap shows the clock
        stableFrom = now.isBefore(openEnd) ? null : openEnd;
      } else {
        endedAt = now;
        stableFrom = null;
      }
    }
    boolean owner = viewerUserId != null && viewerUserId.equals(session.djUserId());
    List<Poll> polls = owner ? polls(c, sessionId) : null;
    String djName = session.djName() == null || session.djName().isEmpty() ? "DJ" : session.djName();
    Recap recap = new Recap(sessionId, djName, session.startedAt(), endedAt, tracks, totalLikes, polls);
    return Optional.of(new VersionedRecap(recap, session.readVersion(), stableFrom));
  }

  private static SessionRow session(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT dj_name, dj_user_id, started_at, ended_at, read_version FROM sessions WHERE id = ?")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return null;
        long owner = rs.getLong("dj_user_id");
        return new SessionRow(
            rs.getString("dj_name"),
            rs.wasNull() ? null : owner,
            SqlTime.instant(rs, "started_at"),
            SqlTime.instant(rs, "ended_at"),
            rs.getLong("read_version"));
      }
    }
  }

  /** Over all plays, not only the first 500 listed. */
  private static Instant lastPlayedAt(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT max(played_at) AS last FROM played_tracks WHERE session_id = ?")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return SqlTime.instant(rs, "last");
      }
    }
  }

  private static List<Poll> polls(Connection c, String sessionId) throws SQLException {
    Map<Long, Map<Integer, Long>> votes = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT v.poll_id, v.option_index, count(*) FROM poll_votes v JOIN polls p ON p.id = v.poll_id"
                + " WHERE p.session_id = ? GROUP BY v.poll_id, v.option_index")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) votes.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getInt(2), rs.getLong(3));
      }
    }
    List<Poll> polls = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, question, options::text AS options, status, current_track_artist, current_track_title,"
                + " started_at, ended_at FROM polls WHERE session_id = ? ORDER BY started_at, id")) {
      ps.setString(1, sessionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong("id");
          List<String> options = options(rs.getString("options"));
          Map<Integer, Long> byOption = votes.getOrDefault(id, Map.of());
          List<Long> counts = new ArrayList<>();
          long total = 0;
          int winnerIndex = -1;
          long best = 0;
          for (int i = 0; i < options.size(); i++) {
            long n = byOption.getOrDefault(i, 0L);
            counts.add(n);
            total += n;
            if (n > best) {
              best = n;
              winnerIndex = i;
            }
          }
          boolean active = "active".equals(rs.getString("status"));
          polls.add(
              new Poll(
                  id,
                  rs.getString("question"),
                  options,
                  counts,
                  total,
                  winnerIndex,
                  winnerIndex < 0 ? null : options.get(winnerIndex),
                  SqlTime.instant(rs, "started_at"),
                  active ? null : SqlTime.instant(rs, "ended_at"),
                  rs.getString("current_track_artist"),
                  rs.getString("current_track_title")));
        }
      }
    }
    return polls;
  }

  /** {@code polls.options} is a JSON array of strings; anything else (corrupt import) reads as no options. */
  private static List<String> options(String json) {
    try {
      List<Object> raw = JSON.readValue(json, new TypeReference<List<Object>>() {});
      List<String> out = new ArrayList<>();
      for (Object o : raw) out.add(o == null ? null : String.valueOf(o));
      return out;
    } catch (Exception e) {
      return List.of();
    }
  }

  private static Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }
}
