package floorcast.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import floorcast.ops.ApplicationPool;
import floorcast.ops.DatabaseSettings;
import floorcast.readside.JournalWriter;
import floorcast.readside.ReadSideFixture;
import floorcast.readside.ReadSideProjection;
import floorcast.readside.Sql;
import floorcast.session.SessionEvent;
import floorcast.session.SessionEvent.DancerActionsRecorded;
import floorcast.session.SessionEvent.LikeAdded;
import floorcast.session.SessionEvent.LikeRemoved;
import floorcast.session.SessionEvent.MetadataMerged;
import floorcast.session.SessionEvent.PollEnded;
import floorcast.session.SessionEvent.PollStarted;
import floorcast.session.SessionEvent.PollVoteCast;
import floorcast.session.SessionEvent.SessionCreated;
import floorcast.session.SessionEvent.SessionEnded;
import floorcast.session.SessionEvent.TempoTallied;
import floorcast.session.SessionEvent.TrackPlayed;
import floorcast.session.TrackInfo;
import floorcast.testing.ClusterSystems;
import floorcast.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;

/**
 * Every kind of projected write reaches the next recap although the route serves rendered copies: the real
 * projection (one-node cluster) writes the journal's events, and as soon as its rows are committed the next recap
 * shows them — the projection gave the session a new read version in the same transaction. Before each write the
 * recap is primed and shown to come from the copy, so a write without a new version would be missed and fail here.
 */
class RecapAfterProjectedWritesTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Instant T0 = Instant.parse("2026-01-15T20:20:00Z");
  private static final String TOKEN = "pk_dj_00000000000000000000000000000031";
  private static final String ID = "pika_1736972400000_cachetest";

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static TrackInfo track(String artist, String title) {
    return new TrackInfo(title, artist, null, null, null, null, null, null, null);
  }

  private RestHarness rest;
  private ActorSystem<Void> node;
  private Sql sql;

  private JsonNode recap(boolean owner) {
    RestHarness.Reply r =
        owner ? rest.get("/api/session/" + ID + "/recap", "Authorization", "Bearer " + TOKEN) : rest.get("/api/session/" + ID + "/recap");
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /** Both variants are in the render cache and served from it. */
  private void primed() {
    recap(true);
    recap(false);
    long hits = rest.routes.recapCache().hits();
    recap(true);
    recap(false);
    assertEquals(hits + 2, rest.routes.recapCache().hits(), "both variants served from their copies");
  }

  private void append(String what, BooleanSupplier projected, SessionEvent... events) {
    primed();
    JournalWriter.append(node, ID, List.of(events));
    try {
      ClusterSystems.await(WAIT, projected);
    } catch (AssertionError e) {
      throw new AssertionError(what + " not projected", e);
    }
  }

  @Test
  void theNextRecapAfterEachProjectedWriteShowsIt() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    // clock a day after the set: the open session's end (last play + 5 min) no longer moves, so it is cacheable
    rest = new RestHarness(db, false, Duration.ZERO, Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
    node = ClusterSystems.start("projection", db, null, Map.of());
    HikariDataSource projectionPool = ApplicationPool.create(db, 4, "projection-recap-test");
    try {
      ReadSideProjection.start(node, projectionPool);
      sql = new Sql(rest.dataSource);
      ReadSideFixture f = new ReadSideFixture(rest.dataSource);
      long owner = f.user("dj@example.com", "DJ Cache", "dj-cache");
      f.token(owner, TOKEN);
      TrackInfo a = track("Delta Dreambox", "Queen of Loneliness");
      TrackInfo b = track("Rosie Carney", "Sway");

      JournalWriter.append(
          node, ID, List.of(new SessionCreated(ID, "DJ Cache", owner, null, false, at(0), "0.3.0", "conn-1"), new TrackPlayed(a, a.trackKey(), true, at(10), "m1")));
      ClusterSystems.await(WAIT, () -> sql.count("SELECT count(*) FROM played_tracks WHERE session_id = ?", ID) == 1);
      assertEquals(1, recap(false).get("trackCount").asInt());

      append("like", () -> sql.count("SELECT count(*) FROM likes") == 1,
          new DancerActionsRecorded(List.of(new LikeAdded("client_a", a.trackKey(), at(11))), List.of()));
      assertEquals(1, recap(false).get("totalLikes").asInt());
      assertEquals(1, recap(true).get("tracks").get(0).get("likes").asInt());

      append("tempo tally", () -> sql.count("SELECT count(*) FROM tempo_votes") == 1,
          new TempoTallied("Delta Dreambox", "Queen of Loneliness", a.trackKey(), 4, 1, 9, at(20)));
      assertEquals("{\"slower\":1,\"perfect\":9,\"faster\":4}", recap(false).get("tracks").get(0).get("tempo").toString());

      append("new play", () -> sql.count("SELECT count(*) FROM played_tracks") == 2, new TrackPlayed(b, b.trackKey(), true, at(20), "m2"));
      assertEquals(2, recap(false).get("trackCount").asInt());
      assertEquals("Sway", recap(true).get("tracks").get(1).get("title").asText());

      append("metadata", () -> sql.count("SELECT count(*) FROM played_tracks WHERE bpm = 88") == 1,
          new MetadataMerged(new TrackInfo("Sway", "Rosie Carney", 88.0, "5A", null, null, null, null, null), b, b.trackKey(), at(21), "m3"));
      assertEquals(88, recap(false).get("tracks").get(1).get("bpm").asInt());

      append("poll", () -> sql.count("SELECT count(*) FROM polls") == 1,
          new PollStarted(412, "Next style?", List.of("Blues", "Funky"), null, "Rosie Carney", "Sway", at(30), "m4"));
      assertEquals(1, recap(true).get("totalPolls").asInt());
      assertFalse(recap(false).has("polls"));

      append("poll vote", () -> sql.count("SELECT count(*) FROM poll_votes") == 1,
          new DancerActionsRecorded(List.of(new PollVoteCast(412, "client_a", 1, at(31))), List.of()));
      assertEquals("[0,1]", recap(true).get("polls").get(0).get("votes").toString());

      append("poll end", () -> sql.count("SELECT count(*) FROM polls WHERE status = 'closed'") == 1, new PollEnded(412, "ended", at(40), "m5"));
      assertEquals("2026-01-15T20:20:40.000Z", recap(true).get("polls").get(0).get("endedAt").asText());

      append("like removed", () -> sql.count("SELECT count(*) FROM likes") == 0,
          new DancerActionsRecorded(List.of(new LikeRemoved("client_a", a.trackKey(), at(41))), List.of()));
      assertEquals(0, recap(false).get("totalLikes").asInt());

      assertEquals("2026-01-15T20:25:20.000Z", recap(false).get("endedAt").asText(), "open: last play + 5 min");
      append("session end", () -> sql.count("SELECT count(*) FROM sessions WHERE ended_at IS NOT NULL") == 1,
          new SessionEnded("dj_ended", at(50), "m6"));
      assertEquals("2026-01-15T20:20:50.000Z", recap(false).get("endedAt").asText());
      assertTrue(recap(true).has("polls"));
    } finally {
      node.terminate();
      node.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      projectionPool.close();
      rest.close();
    }
  }
}
