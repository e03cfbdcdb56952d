package floorcast.readside;

import floorcast.session.TrackKey;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Copies a Pika! 0.3.0 database into ours (data.md §4): every row of the ten tables with its id (rows already
 * present are kept: ON CONFLICT DO NOTHING, so a re-run changes nothing), sequences moved above the imported
 * maxima (poll ids included), track keys filled, open sessions and polls closed, and a new read version for every
 * existing session whose recap rows changed ({@link ReadVersions}; new sessions rows get a fresh one anyway), so
 * recap render caches never serve the pre-import state. One transaction on the target: a failed import leaves
 * nothing behind.
 */
public final class PikaImporter {
  private static final int BATCH = 1000;

  /** A table of the Pika! schema: the columns both schemas share, JSON columns, and whether it has a serial id. */
  private record Table(String name, List<String> columns, Set<String> jsonColumns, boolean serialId, String orderBy) {}

  /** In foreign-key order. */
  private static final List<Table> TABLES =
      List.of(
          new Table("dj_users", List.of("id", "email", "password_hash", "display_name", "slug", "created_at"), Set.of(), true, "id"),
          new Table("dj_tokens", List.of("id", "dj_user_id", "token", "name", "last_used", "created_at"), Set.of(), true, "id"),
          new Table("sessions", List.of("id", "dj_user_id", "dj_name", "started_at", "ended_at"), Set.of(), false, "id"),
          new Table(
              "played_tracks",
              List.of("id", "session_id", "artist", "title", "bpm", "key", "energy", "danceability", "brightness",
                  "acousticness", "groove", "played_at"),
              Set.of(), true, "id"),
          new Table("likes", List.of("id", "session_id", "client_id", "played_track_id", "created_at"), Set.of(), true, "id"),
          new Table(
              "tempo_votes",
              List.of("id", "session_id", "track_artist", "track_title", "slower_count", "perfect_count", "faster_count", "created_at"),
              Set.of(), true, "id"),
          new Table(
              "polls",
              List.of("id", "session_id", "question", "options", "status", "current_track_artist", "current_track_title",
                  "started_at", "ended_at"),
              Set.of("options"), false, "id"),
          new Table("poll_votes", List.of("id", "poll_id", "client_id", "option_index", "voted_at"), Set.of(), true, "id"),
          new Table("session_events", List.of("id", "session_id", "event_type", "\"timestamp\"", "metadata"), Set.of("metadata"), true, "id"),
          new Table(
              "push_subscriptions",
              List.of("endpoint", "p256dh", "auth", "client_id", "user_id", "created_at", "unsubscribed_at"),
              Set.of(), false, "endpoint"));

  /** What one run did. {@code copied}: rows new in the target per table; {@code read}: rows in the source. */
  public record Summary(
      Map<String, Long> read, Map<String, Long> copied, long trackKeysFilled, long sessionsClosed, long pollsClosed, long nextPollId) {
    public String describe() {
      StringBuilder sb = new StringBuilder("Pika! import finished\n");
      for (String table : read.keySet()) {
        long r = read.get(table);
        long c = copied.get(table);
        sb.append(String.format("  %-20s %8d read, %8d copied, %8d already present%n", table, r, c, r - c));
      }
      sb.append(String.format("  track keys filled:   %d%n", trackKeysFilled));
      sb.append(String.format("  sessions closed:     %d%n", sessionsClosed));
      sb.append(String.format("  polls closed:        %d%n", pollsClosed));
      sb.append(String.format("  next poll id:        %d", nextPollId));
      return sb.toString();
    }
  }

  private final DataSource source;
  private final DataSource target;

  public PikaImporter(DataSource source, DataSource target) {
    this.source = source;
    this.target = target;
  }

  public Summary run() throws SQLException {
    Map<String, Long> read = new LinkedHashMap<>();
    Map<String, Long> copied = new LinkedHashMap<>();
    List<String> openSessions = new ArrayList<>();
    List<Long> activePolls = new ArrayList<>();
    try (Connection from = source.getConnection();
        Connection to = target.getConnection()) {
      from.setAutoCommit(false); // lets the driver stream with a fetch size
      from.setReadOnly(true);
      to.setAutoCommit(false);
      try {
        Map<String, Long> recapRowsBefore = recapRowsPerSession(to);
        for (Table t : TABLES) {
          long before = count(to, t.name());
          read.put(t.name(), copy(from, to, t));
          copied.put(t.name(), count(to, t.name()) - before);
        }
        openSessions.addAll(strings(from, "SELECT id FROM sessions WHERE ended_at IS NULL"));
        activePolls.addAll(longs(from, "SELECT id FROM polls WHERE status = 'active'"));
        for (Table t : TABLES) if (t.serialId()) moveSequenceAbove(to, t.name());
        long nextPollId = movePollIdsAbove(to);
        long keys = fillTrackKeys(to);
        List<String> closed = new ArrayList<>();
        long sessionsClosed = closeSessions(to, openSessions, closed);
        long pollsClosed = closePolls(to, activePolls, closed);
        Set<String> changed = new TreeSet<>(sessionsWithNewRows(recapRowsBefore, recapRowsPerSession(to)));
        changed.addAll(closed);
        ReadVersions.bump(to, changed);
        to.commit();
        from.commit();
        return new Summary(read, copied, keys, sessionsClosed, pollsClosed, nextPollId);
      } catch (SQLException | RuntimeException e) {
        to.rollback();
        throw e;
      }
    }
  }

  private static long copy(Connection from, Connection to, Table t) throws SQLException {
    String cols = String.join(", ", t.columns());
    StringBuilder values = new StringBuilder();
    for (String c : t.columns()) {
      if (values.length() > 0) values.append(", ");
      values.append(t.jsonColumns().contains(c) ? "?::json" : "?");
    }
    long n = 0;
    try (PreparedStatement select = from.prepareStatement("SELECT " + cols + " FROM " + t.name() + " ORDER BY " + t.orderBy());
        PreparedStatement insert =
            to.prepareStatement("INSERT INTO " + t.name() + " (" + cols + ") VALUES (" + values + ") ON CONFLICT DO NOTHING")) {
      select.setFetchSize(BATCH);
      try (ResultSet rs = select.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        int pending = 0;
        while (rs.next()) {
          for (int i = 1; i <= md.getColumnCount(); i++) {
            int type = md.getColumnType(i);
            if (t.jsonColumns().contains(t.columns().get(i - 1))) {
              insert.setString(i, rs.getString(i));
            } else if (type == Types.TIMESTAMP) {
              // wall-clock UTC values copied as they are, never through the JVM time zone (data.md §4.5)
              insert.setObject(i, rs.getObject(i, LocalDateTime.class));
            } else {
              Object v = rs.getObject(i);
              if (v == null) insert.setNull(i, type);
              else insert.setObject(i, v);
            }
          }
          insert.addBatch();
          n++;
          if (++pending == BATCH) {
            insert.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) insert.executeBatch();
      }
    }
    return n;
  }

  /** data.md §4.2: the next id of every serial is above the largest imported one (never moved backwards). */
  private static void moveSequenceAbove(Connection to, String table) throws SQLException {
    String sequence;
    try (PreparedStatement ps = to.prepareStatement("SELECT pg_get_serial_sequence(?, 'id')")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        sequence = rs.getString(1);
      }
    }
    setAbove(to, sequence, "SELECT max(id) FROM " + table);
  }

  /** Wire poll ids come from poll_id_seq (protocol.md §11.1); new ones must not collide with imported ones. */
  private static long movePollIdsAbove(Connection to) throws SQLException {
    return setAbove(to, "poll_id_seq", "SELECT max(id) FROM polls");
  }

  /** @return the next value the sequence will hand out */
  private static long setAbove(Connection to, String sequence, String maxQuery) throws SQLException {
    long max = 0;
    try (PreparedStatement ps = to.prepareStatement(maxQuery);
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) max = rs.getLong(1);
    }
    long next;
    try (PreparedStatement ps = to.prepareStatement("SELECT last_value, is_called FROM " + sequence);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      next = rs.getBoolean("is_called") ? rs.getLong("last_value") + 1 : rs.getLong("last_value");
    }
    if (next <= max) {
      next = max + 1;
      try (PreparedStatement ps = to.prepareStatement("SELECT setval(?::regclass, ?, false)")) {
        ps.setString(1, sequence);
        ps.setLong(2, next);
        ps.executeQuery().close();
      }
    }
    return next;
  }

  /** data.md §4.3, with the same normalisation as live plays (TrackKey). */
  private static long fillTrackKeys(Connection to) throws SQLException {
    long n = 0;
    List<Object[]> missing = new ArrayList<>();
    try (PreparedStatement ps = to.prepareStatement("SELECT id, artist, title FROM played_tracks WHERE track_key IS NULL");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) missing.add(new Object[] {rs.getInt(1), TrackKey.of(rs.getString(2), rs.getString(3))});
    }
    try (PreparedStatement ps = to.prepareStatement("UPDATE played_tracks SET track_key = ? WHERE id = ?")) {
      int pending = 0;
      for (Object[] row : missing) {
        ps.setString(1, (String) row[1]);
        ps.setInt(2, (Integer) row[0]);
        ps.addBatch();
        n++;
        if (++pending == BATCH) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) ps.executeBatch();
    }
    return n;
  }

  /**
   * Rows a recap shows, per session (plays, likes, tallies, polls, votes). The import only inserts such rows (ON
   * CONFLICT DO NOTHING keeps existing ones as they are), so a session whose count grew is one whose recap changed.
   */
  private static Map<String, Long> recapRowsPerSession(Connection c) throws SQLException {
    Map<String, Long> out = new java.util.HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT session_id, count(*) FROM (SELECT session_id FROM played_tracks UNION ALL SELECT session_id FROM likes"
                    + " UNION ALL SELECT session_id FROM tempo_votes UNION ALL SELECT session_id FROM polls"
                    + " UNION ALL SELECT p.session_id FROM poll_votes v JOIN polls p ON p.id = v.poll_id) r GROUP BY session_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
    }
    return out;
  }

  private static List<String> sessionsWithNewRows(Map<String, Long> before, Map<String, Long> after) {
    List<String> out = new ArrayList<>();
    after.forEach((id, n) -> {
      if (!n.equals(before.get(id))) out.add(id);
    });
    return out;
  }

  /**
   * data.md §4.4: last play + 5 min, or the start without plays; only sessions the old server left open.
   *
   * @param changed receives the ids of the sessions closed
   */
  private static long closeSessions(Connection to, List<String> ids, List<String> changed) throws SQLException {
    if (ids.isEmpty()) return 0;
    try (PreparedStatement ps =
        to.prepareStatement(
            "UPDATE sessions s SET ended_at = COALESCE("
                + "(SELECT max(p.played_at) FROM played_tracks p WHERE p.session_id = s.id) + interval '5 minutes', s.started_at)"
                + " WHERE s.ended_at IS NULL AND s.id = ANY(?) RETURNING s.id")) {
      Array array = to.createArrayOf("text", ids.toArray());
      ps.setArray(1, array);
      return collect(ps, changed);
    }
  }

  /** @param changed receives the session ids of the polls closed */
  private static long closePolls(Connection to, List<Long> ids, List<String> changed) throws SQLException {
    if (ids.isEmpty()) return 0;
    try (PreparedStatement ps =
        to.prepareStatement(
            "UPDATE polls p SET status = 'closed', ended_at = s.ended_at FROM sessions s"
                + " WHERE s.id = p.session_id AND p.status = 'active' AND p.id = ANY(?) RETURNING p.session_id")) {
      ps.setArray(1, to.createArrayOf("bigint", ids.toArray()));
      return collect(ps, changed);
    }
  }

  /** Runs an UPDATE … RETURNING of one text column: the row count, the values added to {@code into}. */
  private static long collect(PreparedStatement ps, List<String> into) throws SQLException {
    long n = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        into.add(rs.getString(1));
        n++;
      }
    }
    return n;
  }

  private static long count(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  private static List<Long> longs(Connection c, String sql) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(rs.getLong(1));
    }
    return out;
  }
}
