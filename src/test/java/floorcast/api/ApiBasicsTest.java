package floorcast.api;

import static floorcast.api.RestHarness.assertJson;

import floorcast.session.SessionSummary;
import floorcast.session.TrackInfo;
import floorcast.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** rest.md §1, §4.1, §4.2 (live lists): banner, debug dump, live sessions, 404 and 413. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiBasicsTest {
  private static final Instant NOW = Instant.parse("2026-01-15T21:00:00.123Z");
  private RestHarness production;
  private RestHarness debug;

  @BeforeAll
  void start() throws Exception {
    var db = TestDatabase.fresh();
    production = new RestHarness(db);
    debug = new RestHarness(db, true, Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  void stop() throws Exception {
    production.close();
    debug.close();
  }

  @BeforeEach
  void clearLive() {
    production.live.clear();
    debug.live.clear();
  }

  private static SessionSummary smooth() {
    return new SessionSummary(
        "pika_1736972400000_k3j9x2m1q",
        true,
        "DJ Smooth",
        Instant.parse("2026-01-15T20:20:00Z"),
        Instant.parse("2026-01-15T20:28:40.5Z"),
        new TrackInfo("Sway", "Rosie Carney", 88.0, "5A", 62.5, null, null, null, 0.0),
        new SessionSummary.Announcement("Last dance!", Instant.parse("2026-01-15T20:30:00Z"), Instant.parse("2026-01-15T20:35:00Z")),
        8,
        true,
        null);
  }

  private static SessionSummary away(int listeners) {
    return new SessionSummary(
        "pika_1736972000000_aaaaaaaaa", true, "DJ Early", Instant.parse("2026-01-15T20:00:00Z"), Instant.parse("2026-01-15T20:01:00Z"),
        null, null, listeners, false, null);
  }

  private static SessionSummary ended() {
    return new SessionSummary(
        "pika_ended_000000", false, "DJ Gone", Instant.parse("2026-01-15T19:00:00Z"), null, null, null, 0, false,
        Instant.parse("2026-01-15T19:30:00Z"));
  }

  @Test
  void bannerIsTheOriginalOne() {
    assertJson(200, "{\"name\":\"Pika! Cloud\",\"version\":\"0.3.0\",\"message\":\"Welcome to Pika! Cloud API\"}", production.get("/"));
  }

  @Test
  void debugSessionsIsRefusedWhenDisabled() {
    production.live.add(smooth());
    assertJson(403, "{\"error\":\"Not available in production\"}", production.get("/debug/sessions"));
  }

  @Test
  void debugSessionsDumpsLiveSessionsWhenEnabled() {
    debug.live.add(smooth());
    debug.live.add(away(3));
    assertJson(
        200,
        "{\"timestamp\":\"2026-01-15T21:00:00.123Z\",\"sessionCount\":2,"
            + "\"sessionIds\":[\"pika_1736972000000_aaaaaaaaa\",\"pika_1736972400000_k3j9x2m1q\"],"
            + "\"sessions\":[{\"sessionId\":\"pika_1736972000000_aaaaaaaaa\",\"djName\":\"DJ Early\",\"startedAt\":\"2026-01-15T20:00:00.000Z\","
            + "\"hasCurrentTrack\":false,\"currentTrack\":null,\"hasAnnouncement\":false},"
            + "{\"sessionId\":\"pika_1736972400000_k3j9x2m1q\",\"djName\":\"DJ Smooth\",\"startedAt\":\"2026-01-15T20:20:00.000Z\","
            + "\"hasCurrentTrack\":true,\"currentTrack\":\"Rosie Carney - Sway\",\"hasAnnouncement\":true}],"
            + "\"cachedListenerCounts\":{\"pika_1736972000000_aaaaaaaaa\":3,\"pika_1736972400000_k3j9x2m1q\":8}}",
        debug.get("/debug/sessions"));
  }

  @Test
  void rawListIsEmptyArrayWithoutLiveSessions() {
    for (String prefix : new String[] {"/api/sessions", "/api/session", "/sessions"}) {
      assertJson(200, "[]", production.get(prefix));
    }
  }

  @Test
  void rawListOmitsAbsentValuesOldestFirstUnderAllPrefixes() {
    production.live.add(smooth());
    production.live.add(ended());
    production.live.add(away(0));
    String expected =
        "[{\"sessionId\":\"pika_1736972000000_aaaaaaaaa\",\"djName\":\"DJ Early\",\"startedAt\":\"2026-01-15T20:00:00.000Z\","
            + "\"lastActivityAt\":\"2026-01-15T20:01:00.000Z\"},"
            + "{\"sessionId\":\"pika_1736972400000_k3j9x2m1q\",\"djName\":\"DJ Smooth\",\"startedAt\":\"2026-01-15T20:20:00.000Z\","
            + "\"lastActivityAt\":\"2026-01-15T20:28:40.500Z\","
            + "\"currentTrack\":{\"title\":\"Sway\",\"artist\":\"Rosie Carney\",\"bpm\":88,\"key\":\"5A\",\"energy\":62.5,\"groove\":0},"
            + "\"activeAnnouncement\":{\"message\":\"Last dance!\",\"timestamp\":\"2026-01-15T20:30:00.000Z\",\"endsAt\":\"2026-01-15T20:35:00.000Z\"}}]";
    for (String prefix : new String[] {"/api/sessions", "/api/session", "/sessions", "/api/sessions/"}) {
      assertJson(200, expected, production.get(prefix));
    }
  }

  @Test
  void activeWithoutLiveSessionsHasNoCount() {
    production.live.add(ended());
    assertJson(200, "{\"live\":false,\"sessions\":[]}", production.get("/api/sessions/active"));
  }

  @Test
  void activeListsLiveSessionsWithMomentum() {
    production.live.add(smooth());
    production.live.add(away(30));
    String expected =
        "{\"live\":true,\"count\":2,\"sessions\":["
            + "{\"sessionId\":\"pika_1736972000000_aaaaaaaaa\",\"djName\":\"DJ Early\",\"startedAt\":\"2026-01-15T20:00:00.000Z\","
            + "\"currentTrack\":null,\"listenerCount\":30,\"momentum\":1},"
            + "{\"sessionId\":\"pika_1736972400000_k3j9x2m1q\",\"djName\":\"DJ Smooth\",\"startedAt\":\"2026-01-15T20:20:00.000Z\","
            + "\"currentTrack\":{\"title\":\"Sway\",\"artist\":\"Rosie Carney\",\"bpm\":88},\"listenerCount\":8,\"momentum\":0.4}]}";
    for (String prefix : new String[] {"/api/sessions", "/api/session", "/sessions"}) {
      assertJson(200, expected, production.get(prefix + "/active"));
    }
  }

  @Test
  void activeOmitsUnknownBpm() {
    production.live.add(
        new SessionSummary("pika_nobpm_0001", true, "DJ", Instant.parse("2026-01-15T20:00:00Z"), null, TrackInfo.of("T", "A"), null, 3, true, null));
    assertJson(
        200,
        "{\"live\":true,\"count\":1,\"sessions\":[{\"sessionId\":\"pika_nobpm_0001\",\"djName\":\"DJ\",\"startedAt\":\"2026-01-15T20:00:00.000Z\","
            + "\"currentTrack\":{\"title\":\"T\",\"artist\":\"A\"},\"listenerCount\":3,\"momentum\":0.15000000000000002}]}",
        production.get("/api/sessions/active"));
  }

  @Test
  void unknownRoutesAndMethodsAre404Json() {
    String notFound = "{\"error\":\"Not found\"}";
    assertJson(404, notFound, production.get("/nope"));
    assertJson(404, notFound, production.get("/api/sessions/x/unknown"));
    assertJson(404, notFound, production.get("/api/sessionsX"));
    assertJson(404, notFound, production.post("/api/push/send", "{}"));
    assertJson(404, notFound, production.post("/api/stats/global", "{}"));
    assertJson(404, notFound, production.method("DELETE", "/api/sessions"));
    assertJson(404, notFound, production.method("PUT", "/api/push/subscribe"));
    assertJson(404, notFound, production.get("/api/push/subscribe"));
    assertJson(404, notFound, production.get("/api/sessions/pika_1736972400000_k3j9x2m1q/sync-fingerprints"));
  }

  @Test
  void queryParametersAreIgnoredEvenHugeOnes() {
    String huge = "9".repeat(1500);
    assertJson(200, "{\"live\":false,\"sessions\":[]}", production.get("/api/sessions/active?limit=" + huge));
    assertJson(200, "[]", production.get("/api/sessions/recent?limit=" + huge + "&offset=-1"));
    assertJson(200, "[]", production.get("/api/sessions/pika_1736972400000_k3j9x2m1q/history?limit=" + huge));
    assertJson(200, "{\"totalSessions\":0,\"totalTracks\":0,\"totalLikes\":0}", production.get("/api/stats/global?x=%00"));
  }

  @Test
  void bodyOverOneMebibyteIs413() {
    String big = "{\"endpoint\":\"" + "a".repeat(1024 * 1024 + 10) + "\"}";
    assertJson(413, "{\"error\":\"Payload too large\"}", production.post("/api/push/subscribe", big));
  }
}
