package floorcast.readside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.ops.DatabaseSettings;
import floorcast.session.TrackKey;
import floorcast.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** data.md §4 against a real database in the original Pika! 0.3.0 schema. */
class PikaImportTest {
  private static final List<String> TABLES =
      List.of("dj_users", "dj_tokens", "sessions", "played_tracks", "likes", "tempo_votes", "polls", "poll_votes", "session_events", "push_subscriptions");

  /** A new database with the original schema (no Floorcast migrations). */
  private static DataSource pikaDatabase() throws Exception {
    String name = "pika_src_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    try (Connection c = TestDatabase.server().getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(TestDatabase.server().getJdbcUrl("postgres", name));
    ds.setUser("postgres");
    try (InputStream in = PikaImportTest.class.getResourceAsStream("/pika/pika-0.3.0-schema.sql");
        Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    return ds;
  }

  /** Generated Pika! data: gaps in ids, open sessions with and without plays, active polls, imported bcrypt hashes. */
  private static void fill(DataSource pika) {
    Sql sql = new Sql(pika);
    Random random = new Random(42);
    for (int u = 1; u <= 3; u++) {
      sql.update("INSERT INTO dj_users (email, password_hash, display_name, slug, created_at) VALUES (?, ?, ?, ?, '2025-06-01 10:00:00')",
          "dj" + u + "@example.com", "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123", "DJ " + u, "dj-" + u);
      sql.update("INSERT INTO dj_tokens (dj_user_id, token, last_used) VALUES (?, ?, NULL)", u, "%064x".formatted(u));
    }
    sql.update("DELETE FROM dj_users WHERE id = 2"); // id gap
    for (int s = 0; s < 12; s++) {
      String id = "pika_17360000000" + String.format("%02d", s) + "_abcdefghi";
      Integer owner = s % 3 == 0 ? Integer.valueOf(1) : (s % 3 == 1 ? Integer.valueOf(3) : null);
      boolean open = s % 4 == 0;
      sql.update("INSERT INTO sessions (id, dj_user_id, dj_name, started_at, ended_at) VALUES (?, ?, ?, ?::timestamp, ?::timestamp)",
          id, owner, "DJ " + s, "2025-07-0" + (1 + s % 9) + " 20:00:00", open ? null : "2025-07-0" + (1 + s % 9) + " 23:30:00");
      sql.update("INSERT INTO session_events (session_id, event_type, \"timestamp\", metadata) VALUES (?, 'connect', ?::timestamp, '{\"clientVersion\":\"0.3.0\"}')",
          id, "2025-07-0" + (1 + s % 9) + " 20:00:00");
      int plays = s == 8 ? 0 : 3 + random.nextInt(5);
      for (int p = 0; p < plays; p++) {
        sql.update("INSERT INTO played_tracks (session_id, artist, title, bpm, key, energy, played_at) VALUES (?, ?, ?, ?, ?, ?, ?::timestamp)",
            id, "  Artist\u00a0" + (p % 3) + " ", "Title   " + p, p == 0 ? null : 90 + p, p % 2 == 0 ? "Am" : null, p,
            "2025-07-0" + (1 + s % 9) + " 20:" + String.format("%02d", 10 + 5 * p) + ":00");
      }
      if (plays > 0) {
        sql.update("INSERT INTO likes (session_id, client_id, played_track_id, created_at) SELECT session_id, ?, id, played_at FROM played_tracks WHERE session_id = ?",
            "client_" + s, id);
        sql.update("INSERT INTO likes (session_id, client_id, played_track_id, created_at) SELECT session_id, NULL, min(id), min(played_at) FROM played_tracks WHERE session_id = ? GROUP BY session_id", id);
        sql.update("INSERT INTO tempo_votes (session_id, track_artist, track_title, slower_count, perfect_count, faster_count) SELECT session_id, artist, title, 1, 2, 3 FROM played_tracks WHERE session_id = ?", id);
      }
      if (s % 2 == 0) {
        sql.update("INSERT INTO polls (session_id, question, options, status, current_track_artist, current_track_title, started_at, ended_at) VALUES (?, 'Next?', '[\"a\",\"b\"]', ?, 'X', 'Y', ?::timestamp, ?::timestamp)",
            id, s % 4 == 0 ? "active" : "closed", "2025-07-0" + (1 + s % 9) + " 21:00:00", s % 4 == 0 ? null : "2025-07-0" + (1 + s % 9) + " 21:02:00");
        sql.update("INSERT INTO poll_votes (poll_id, client_id, option_index) SELECT max(id), 'client_v', 1 FROM polls");
      }
    }
    sql.update("DELETE FROM played_tracks WHERE id = 2"); // gap, cascades to its likes
    sql.update("INSERT INTO push_subscriptions (endpoint, p256dh, auth, client_id, unsubscribed_at) VALUES ('https://push.example/1', 'k', 'a', 'client_1', '2025-07-02 00:00:00'), ('https://push.example/2', 'k2', 'a2', NULL, NULL)");
  }

  private static List<Map<String, Object>> dump(Sql sql, String table) {
    String order = table.equals("push_subscriptions") ? "endpoint" : "id";
    return sql.rows("SELECT * FROM " + table + " ORDER BY " + order);
  }

  private static Map<String, List<Map<String, Object>>> dumpAll(Sql sql) {
    Map<String, List<Map<String, Object>>> all = new java.util.LinkedHashMap<>();
    for (String t : TABLES) all.put(t, dump(sql, t));
    all.put("sequences", sql.rows(
        "SELECT (SELECT last_value FROM played_tracks_id_seq) AS plays, (SELECT last_value FROM poll_id_seq) AS polls,"
            + " (SELECT last_value FROM dj_users_id_seq) AS users, (SELECT last_value FROM likes_id_seq) AS likes"));
    return all;
  }

  @Test
  void importCopiesEverythingKeepsIdsClosesOpenThingsAndSecondRunChangesNothing() throws Exception {
    DataSource pika = pikaDatabase();
    fill(pika);
    DatabaseSettings ours = TestDatabase.fresh();
    DataSource target = TestDatabase.dataSource(ours);
    Sql src = new Sql(pika);
    Sql dst = new Sql(target);

    PikaImporter.Summary first = new PikaImporter(pika, target).run();
    for (String t : TABLES) {
      long n = src.count("SELECT count(*) FROM " + t);
      assertTrue(n > 0, t + " has generated rows");
      assertEquals(n, first.read().get(t), t);
      assertEquals(n, first.copied().get(t), t);
    }
    // ids and values kept
    assertEquals(dump(src, "dj_users"), dump(dst, "dj_users"));
    assertEquals(dump(src, "dj_tokens"), dump(dst, "dj_tokens"));
    assertEquals(dump(src, "likes"), dump(dst, "likes"));
    assertEquals(dump(src, "poll_votes").toString(), dump(dst, "poll_votes").toString());
    assertEquals(dump(src, "session_events"), dump(dst, "session_events"));
    assertEquals(dump(src, "push_subscriptions"), dump(dst, "push_subscriptions"));
    assertEquals(
        src.rows("SELECT id, session_id, artist, title, bpm, key, energy, played_at FROM played_tracks ORDER BY id"),
        dst.rows("SELECT id, session_id, artist, title, bpm, key, energy, played_at FROM played_tracks ORDER BY id"));
    assertEquals(0, dst.count("SELECT count(*) FROM tempo_votes WHERE played_track_id IS NOT NULL"));

    // track keys as live plays compute them
    for (Map<String, Object> row : dst.rows("SELECT artist, title, track_key FROM played_tracks")) {
      assertEquals(TrackKey.of((String) row.get("artist"), (String) row.get("title")), row.get("track_key"));
    }
    assertEquals("artist 0::title 0", dst.rows("SELECT track_key FROM played_tracks ORDER BY id LIMIT 1").get(0).get("track_key"));

    // open sessions: last play + 5 min, or started_at without plays; active polls closed at the session's end
    assertEquals(0, dst.count("SELECT count(*) FROM sessions WHERE ended_at IS NULL"));
    assertEquals(3, first.sessionsClosed());
    assertEquals(
        List.of(),
        dst.rows("SELECT s.id FROM sessions s WHERE s.id IN (SELECT id FROM sessions WHERE started_at IS NOT NULL) AND s.ended_at <>"
            + " COALESCE((SELECT max(played_at) FROM played_tracks p WHERE p.session_id = s.id) + interval '5 minutes', s.started_at)"
            + " AND s.ended_at::time <> '23:30:00'"));
    assertEquals("2025-07-09 20:00:00", dst.rows("SELECT ended_at::text AS e FROM sessions WHERE id = 'pika_1736000000008_abcdefghi'").get(0).get("e"));
    assertEquals(0, dst.count("SELECT count(*) FROM polls WHERE status = 'active'"));
    assertEquals(0, dst.count("SELECT count(*) FROM polls p JOIN sessions s ON s.id = p.session_id WHERE p.ended_at IS NULL"));
    assertEquals(3, first.pollsClosed());

    // sequences above the imported maxima, poll ids included
    long maxPlay = dst.count("SELECT max(id) FROM played_tracks");
    long maxPoll = dst.count("SELECT max(id) FROM polls");
    assertEquals(maxPoll + 1, first.nextPollId());
    assertTrue(dst.count("SELECT nextval('played_tracks_id_seq')") > maxPlay);
    assertTrue(dst.count("SELECT nextval('poll_id_seq')") > maxPoll);
    assertTrue(dst.count("SELECT nextval('dj_users_id_seq')") > 3);

    Map<String, List<Map<String, Object>>> afterFirst = dumpAll(dst);
    PikaImporter.Summary second = new PikaImporter(pika, target).run();
    for (String t : TABLES) assertEquals(0L, second.copied().get(t), t);
    assertEquals(0, second.trackKeysFilled());
    assertEquals(0, second.sessionsClosed());
    assertEquals(0, second.pollsClosed());
    assertEquals(afterFirst, dumpAll(dst));
  }

  /** The recap render cache relies on it: a re-run that adds rows to a session gives exactly that session a new version. */
  @Test
  void aReRunThatAddsRowsGivesThoseSessionsANewReadVersion() throws Exception {
    DataSource pika = pikaDatabase();
    fill(pika);
    DataSource target = TestDatabase.dataSource(TestDatabase.fresh());
    Sql src = new Sql(pika);
    Sql dst = new Sql(target);
    new PikaImporter(pika, target).run();
    String grown = "pika_1736000000001_abcdefghi";
    String voted = "pika_1736000000002_abcdefghi";
    ReadVersions versions = new ReadVersions(target);
    Map<String, Object> before = versionsById(dst);
    assertEquals(12, before.size());
    assertEquals(12, java.util.Set.copyOf(before.values()).size(), "every imported session has its own version");

    src.update("INSERT INTO likes (session_id, client_id, played_track_id) SELECT session_id, 'client_late', max(id) FROM played_tracks WHERE session_id = ? GROUP BY session_id", grown);
    src.update("INSERT INTO poll_votes (poll_id, client_id, option_index) SELECT id, 'client_late', 0 FROM polls WHERE session_id = ?", voted);
    new PikaImporter(pika, target).run();

    Map<String, Object> after = versionsById(dst);
    for (String id : before.keySet()) {
      if (id.equals(grown) || id.equals(voted)) {
        assertTrue(((Number) after.get(id)).longValue() > ((Number) before.get(id)).longValue(), id + " has a new version");
      } else {
        assertEquals(before.get(id), after.get(id), id + " unchanged");
      }
    }
    assertEquals(((Number) after.get(grown)).longValue(), versions.stamp(grown).orElseThrow().version());
    assertEquals(1, dst.count("SELECT count(*) FROM likes WHERE client_id = 'client_late'"));
  }

  private static Map<String, Object> versionsById(Sql sql) {
    Map<String, Object> out = new java.util.TreeMap<>();
    for (Map<String, Object> row : sql.rows("SELECT id, read_version FROM sessions")) out.put((String) row.get("id"), row.get("read_version"));
    return out;
  }

  @Test
  void commandLineImportsIntoTheConfiguredDatabaseAndPrintsASummary() throws Exception {
    DataSource pika = pikaDatabase();
    fill(pika);
    DatabaseSettings ours = TestDatabase.fresh();
    String pikaUrl = ((PGSimpleDataSource) pika).getUrl();
    System.setProperty("floorcast.database.url", ours.jdbcUrl());
    System.setProperty("floorcast.database.user", ours.user());
    com.typesafe.config.ConfigFactory.invalidateCaches();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = PikaImport.run(new String[] {"--from", pikaUrl, "--from-user", "postgres"}, new PrintStream(out, true), new PrintStream(err, true));
      assertEquals(0, code, err.toString());
      String summary = out.toString();
      assertTrue(summary.contains("Pika! import finished"), summary);
      assertTrue(summary.matches("(?s).*sessions\\s+12 read,\\s+12 copied,\\s+0 already present.*"), summary);
      assertEquals(12, new Sql(TestDatabase.dataSource(ours)).count("SELECT count(*) FROM sessions"));
    } finally {
      System.clearProperty("floorcast.database.url");
      System.clearProperty("floorcast.database.user");
      com.typesafe.config.ConfigFactory.invalidateCaches();
    }
  }

  @Test
  void commandLineRefusesBadArguments() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true);
    PrintStream o = new PrintStream(new ByteArrayOutputStream(), true);
    assertEquals(2, PikaImport.run(new String[] {}, o, e));
    assertEquals(2, PikaImport.run(new String[] {"--from"}, o, e));
    assertEquals(2, PikaImport.run(new String[] {"--from", "postgres://x/y"}, o, e));
    assertEquals(2, PikaImport.run(new String[] {"--bogus", "1"}, o, e));
    assertTrue(err.toString().contains("usage: floorcast import-pika --from"));
  }

}
