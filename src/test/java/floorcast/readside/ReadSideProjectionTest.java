package floorcast.readside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import floorcast.ops.DatabaseSettings;
import floorcast.session.SessionEvent;
import floorcast.session.SessionEvent.DancerActionsRecorded;
import floorcast.session.SessionEvent.DjAttached;
import floorcast.session.SessionEvent.DjDetached;
import floorcast.session.SessionEvent.LikeAdded;
import floorcast.session.SessionEvent.LikeRemoved;
import floorcast.session.SessionEvent.ListenerJoined;
import floorcast.session.SessionEvent.MetadataMerged;
import floorcast.session.SessionEvent.PollEnded;
import floorcast.session.SessionEvent.PollStarted;
import floorcast.session.SessionEvent.PollVoteCast;
import floorcast.session.SessionEvent.SeqReserved;
import floorcast.session.SessionEvent.SessionCreated;
import floorcast.session.SessionEvent.SessionEnded;
import floorcast.session.SessionEvent.TempoTallied;
import floorcast.session.SessionEvent.TempoVoteSet;
import floorcast.session.SessionEvent.TrackPlayed;
import floorcast.session.SessionEvent.TrackRepeated;
import floorcast.session.SessionEvent.TrackStopped;
import floorcast.session.TrackInfo;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** data.md §3 against a real journal and a real projection (ShardedDaemonProcess on a one-node cluster). */
class ReadSideProjectionTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Map<String, Object> FAST_POLL = Map.of("jdbc-read-journal.refresh-interval", "100ms");
  private static final Instant T0 = Instant.parse("2026-01-15T20:20:00Z");

  private final List<ProjectionNode> nodes = new ArrayList<>();

  /**
   * A cluster member running only the projection (no gateway, no session sharding): the journal is written by the
   * test's own {@link JournalWriter}, so no real session entity may share its persistence ids.
   */
  private record ProjectionNode(org.apache.pekko.actor.typed.ActorSystem<Void> system, com.zaxxer.hikari.HikariDataSource dataSource)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
      dataSource.close();
    }
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (ProjectionNode n : nodes) n.close();
  }

  private ProjectionNode startNode(DatabaseSettings db) throws Exception {
    ProjectionNode node =
        new ProjectionNode(
            floorcast.testing.ClusterSystems.start("projection", db, null, FAST_POLL),
            floorcast.ops.ApplicationPool.create(db, 4, "projection-test"));
    nodes.add(node);
    ReadSideProjection.start(node.system(), node.dataSource());
    return node;
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static TrackInfo track(String artist, String title, Double bpm, Double energy) {
    return new TrackInfo(title, artist, bpm, null, energy, null, null, null, null);
  }

  @Test
  void everyEventLandsInItsTableAsDataMdSection3Says() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    ProjectionNode node = startNode(db);
    DataSource ds = node.dataSource();
    Sql sql = new Sql(ds);
    sql.update(
        "INSERT INTO dj_users (email, password_hash, display_name, slug) VALUES ('a@b.cd', 'x', 'DJ Smooth', 'dj-smooth')");
    long userId = sql.count("SELECT id FROM dj_users");
    String id = "pika_1736972400000_k3j9x2m1q";
    TrackInfo queen = track("Delta Dreambox", "Queen of Loneliness", 95.5, 0.0);
    TrackInfo sway = track("Rosie Carney", "Sway", 88.4, 62.49);
    String queenKey = queen.trackKey();
    String swayKey = sway.trackKey();

    List<SessionEvent> events =
        List.of(
            new SessionCreated(id, "DJ Smooth", userId, null, false, at(0), "0.3.0", "conn-1"),
            new SeqReserved(10_000),
            new TrackPlayed(queen, queenKey, true, at(10), "m1"),
            new DancerActionsRecorded(
                List.of(
                    new LikeAdded("client_a", queenKey, at(11)),
                    new ListenerJoined("client_a", at(11)),
                    new TempoVoteSet("client_a", "faster", at(12))),
                List.of()),
            new TempoTallied("Delta Dreambox", "Queen of Loneliness", queenKey, 4, 1, 9, at(20)),
            new TrackPlayed(sway, swayKey, true, at(20), "m2"),
            new TrackRepeated(sway.mergedWith(new TrackInfo(null, null, null, "5A", null, null, null, null, 70.5)), at(25), "m3"),
            new DancerActionsRecorded(
                List.of(new LikeAdded("client_b", swayKey, at(26)), new LikeAdded("client_a", swayKey, at(26))),
                List.of("d1")),
            new DancerActionsRecorded(List.of(new LikeRemoved("client_b", swayKey, at(27))), List.of()),
            new PollStarted(412, "Next style?", List.of("Blues", "Funky"), null, "Rosie Carney", "Sway", at(30), "m4"),
            new DancerActionsRecorded(
                List.of(
                    new PollVoteCast(412, "client_a", 1, at(31)),
                    new PollVoteCast(412, "client_a", 0, at(32)),
                    new PollVoteCast(412, "client_b", 0, at(33))),
                List.of()),
            new PollEnded(412, "ended", at(40), "m5"),
            new DjDetached(at(50), "disconnect"),
            new DjAttached(at(80), true, 30_000L, "conn-2"),
            new DjAttached(at(81), true, null, "conn-2"),
            new TrackStopped(at(90), "m6"),
            new TrackPlayed(queen, queenKey, true, at(100), "m7"),
            new MetadataMerged(
                new TrackInfo("Queen of Loneliness", "Delta Dreambox", 96.5, "Am", null, null, null, null, null),
                queen,
                queenKey,
                at(101),
                "m8"),
            new DancerActionsRecorded(List.of(new LikeAdded("client_c", queenKey, at(102))), List.of()),
            new TempoTallied("Delta Dreambox", "Queen of Loneliness", queenKey, 0, 0, 2, at(110)),
            new SessionEnded("dj_ended", at(120), "m9"));
    JournalWriter.append(node.system(), id, events);

    Eventually.await(WAIT, "end telemetry", () -> sql.count("SELECT count(*) FROM session_events WHERE event_type = 'end'") == 1);

    assertEquals(
        List.of(Map.of("id", id, "dj_user_id", (int) userId, "dj_name", "DJ Smooth", "started_at", "2026-01-15 20:20:00", "ended_at", "2026-01-15 20:22:00")),
        sql.rows("SELECT id, dj_user_id, dj_name, started_at::text, ended_at::text FROM sessions"));

    assertEquals(
        List.of(
            Map.of("event_type", "connect", "timestamp", "2026-01-15 20:20:00", "metadata", "{\"clientVersion\":\"0.3.0\"}"),
            Map.of("event_type", "disconnect", "timestamp", "2026-01-15 20:20:50", "metadata", "{\"reason\":\"unexpected\"}"),
            Map.of("event_type", "reconnect", "timestamp", "2026-01-15 20:21:20", "metadata", "{\"reconnectMs\":30000}"),
            Map.of("event_type", "end", "timestamp", "2026-01-15 20:22:00", "metadata", "{\"reason\":\"dj_ended\"}")),
        sql.rows("SELECT event_type, \"timestamp\"::text, metadata::text FROM session_events ORDER BY id"));

    // A, B, stop, A: three plays; metrics rounded half-up, 0 kept; repeat and metadata update the latest play of the key
    List<Map<String, Object>> plays =
        sql.rows("SELECT id, artist, title, bpm, key, energy, groove, played_at::text, track_key FROM played_tracks ORDER BY id");
    assertEquals(3, plays.size());
    assertPlay(plays.get(0), "Delta Dreambox", 96, null, 0, null, "2026-01-15 20:20:10", queenKey);
    assertPlay(plays.get(1), "Rosie Carney", 88, "5A", 62, 71, "2026-01-15 20:20:20", swayKey);
    assertPlay(plays.get(2), "Delta Dreambox", 97, "Am", 0, null, "2026-01-15 20:21:40", queenKey);
    int firstQueen = (Integer) plays.get(0).get("id");
    int swayPlay = (Integer) plays.get(1).get("id");
    int secondQueen = (Integer) plays.get(2).get("id");

    assertEquals(
        List.of(
            Map.of("client_id", "client_a", "played_track_id", firstQueen, "created_at", "2026-01-15 20:20:11"),
            Map.of("client_id", "client_a", "played_track_id", swayPlay, "created_at", "2026-01-15 20:20:26"),
            Map.of("client_id", "client_c", "played_track_id", secondQueen, "created_at", "2026-01-15 20:21:42")),
        sql.rows("SELECT client_id, played_track_id, created_at::text FROM likes ORDER BY id"));

    assertEquals(
        List.of(
            Map.of("slower_count", 1, "perfect_count", 9, "faster_count", 4, "played_track_id", firstQueen),
            Map.of("slower_count", 0, "perfect_count", 2, "faster_count", 0, "played_track_id", secondQueen)),
        sql.rows("SELECT slower_count, perfect_count, faster_count, played_track_id FROM tempo_votes ORDER BY id"));

    assertEquals(
        List.of(
            Map.of("id", 412L, "question", "Next style?", "options", "[\"Blues\",\"Funky\"]", "status", "closed",
                "current_track_artist", "Rosie Carney", "current_track_title", "Sway",
                "started_at", "2026-01-15 20:20:30", "ended_at", "2026-01-15 20:20:40")),
        sql.rows("SELECT id, question, options::text, status, current_track_artist, current_track_title, started_at::text, ended_at::text FROM polls"));

    // the repeated vote of client_a is ignored (first vote kept)
    assertEquals(
        List.of(Map.of("client_id", "client_a", "option_index", 1), Map.of("client_id", "client_b", "option_index", 0)),
        sql.rows("SELECT client_id, option_index FROM poll_votes ORDER BY id"));
  }

  @Test
  void anonymousSessionHasNoOwnerAndConnectWithoutVersionHasEmptyMetadata() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    ProjectionNode node = startNode(db);
    Sql sql = new Sql(node.dataSource());
    JournalWriter.append(node.system(), "anon_session_1", List.of(new SessionCreated("anon_session_1", "DJ", null, "client_x", false, at(0), null, null)));
    Eventually.await(WAIT, "session row", () -> sql.count("SELECT count(*) FROM sessions") == 1);
    assertNull(sql.rows("SELECT dj_user_id FROM sessions").get(0).get("dj_user_id"));
    assertEquals("{}", sql.rows("SELECT metadata::text AS m FROM session_events").get(0).get("m"));
  }

  /** Events of one session for the restart test: created, 3 plays, 2 likes, 1 poll with a vote, end. */
  private static List<List<SessionEvent>> sessionBatches(String id) {
    TrackInfo a = track("Artist " + id, "A", 100.0, 50.0);
    TrackInfo b = track("Artist " + id, "B", 101.0, 51.0);
    long pollId = Math.abs((long) id.hashCode()) + 1;
    return List.of(
        List.of(
            new SessionCreated(id, "DJ " + id, null, "client_owner", false, at(0), "0.3.0", null),
            new TrackPlayed(a, a.trackKey(), true, at(10), null)),
        List.of(
            new DancerActionsRecorded(List.of(new LikeAdded("client_1", a.trackKey(), at(11))), List.of()),
            new TrackPlayed(b, b.trackKey(), true, at(20), null),
            new PollStarted(pollId, "Q?", List.of("x", "y"), null, null, null, at(21), null)),
        List.of(
            new DancerActionsRecorded(
                List.of(new LikeAdded("client_2", b.trackKey(), at(22)), new PollVoteCast(pollId, "client_2", 1, at(23))),
                List.of()),
            new TrackPlayed(a, a.trackKey(), true, at(30), null),
            new PollEnded(pollId, "session_ended", at(40), null),
            new SessionEnded("dj_ended", at(40), null)));
  }

  @Test
  void restartMidStreamNeitherLosesNorDuplicatesRows() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    ProjectionNode first = startNode(db);
    Sql sql = new Sql(first.dataSource());
    int sessions = 24; // spread over all 8 tags
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < sessions; i++) ids.add("restart_session_" + i);

    for (String id : ids) JournalWriter.append(first.system(), id, sessionBatches(id).get(0));
    Eventually.await(WAIT, "first batch projected", () -> sql.count("SELECT count(*) FROM played_tracks") == sessions);
    for (String id : ids) JournalWriter.append(first.system(), id, sessionBatches(id).get(1));
    // stop while the second batch is still being projected
    first.close();
    nodes.remove(first);

    ProjectionNode second = startNode(db);
    Sql sql2 = new Sql(second.dataSource());
    for (String id : ids) JournalWriter.append(second.system(), id, sessionBatches(id).get(2));
    Eventually.await(WAIT, "every session ended", () -> sql2.count("SELECT count(*) FROM sessions WHERE ended_at IS NOT NULL") == sessions);

    assertEquals(sessions, sql2.count("SELECT count(*) FROM sessions"));
    assertEquals(sessions * 3L, sql2.count("SELECT count(*) FROM played_tracks"));
    assertEquals(sessions * 2L, sql2.count("SELECT count(*) FROM likes"));
    assertEquals(sessions, sql2.count("SELECT count(*) FROM polls WHERE status = 'closed'"));
    assertEquals(sessions, sql2.count("SELECT count(*) FROM poll_votes"));
    assertEquals(sessions * 2L, sql2.count("SELECT count(*) FROM session_events"));
    assertEquals(ProjectionTags.COUNT, sql2.count("SELECT count(*) FROM pekko_projection_offset_store"));
  }

  private static void assertPlay(
      Map<String, Object> row, String artist, Integer bpm, String key, Integer energy, Integer groove, String playedAt, String trackKey) {
    assertEquals(artist, row.get("artist"));
    assertEquals(bpm, row.get("bpm"));
    assertEquals(key, row.get("key"));
    assertEquals(energy, row.get("energy"));
    assertEquals(groove, row.get("groove"));
    assertEquals(playedAt, row.get("played_at"));
    assertEquals(trackKey, row.get("track_key"));
  }
}
