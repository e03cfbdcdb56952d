package floorcast.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.readside.ReadSideFixture;
import floorcast.readside.SessionRecaps;
import floorcast.testing.MutableClock;
import floorcast.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The recap render cache (docs/architecture.md) through the real route on a real database: served copies are the
 * bytes a fresh query renders, a new read version or the clock is never outrun, owner and public are separate, and
 * the byte bound holds. A cache hit is told apart from a fresh query by {@link ReadSideFixture#unversionedDjName}: a
 * write without a new version is visible only to a fresh query.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecapRenderCacheTest {
  private static final Instant T0 = Instant.parse("2026-01-16T20:00:00Z");
  private static final String OWNER = "pk_dj_00000000000000000000000000000021";
  private static final String STRANGER = "pk_dj_00000000000000000000000000000022";

  private final MutableClock clock = new MutableClock(T0);
  private RestHarness rest;
  private ReadSideFixture f;
  private long ownerId;

  @BeforeAll
  void start() throws Exception {
    rest = new RestHarness(TestDatabase.fresh(), false, Duration.ZERO, clock);
    f = new ReadSideFixture(rest.dataSource);
    ownerId = f.user("owner@example.com", "Owner", "owner-cache");
    f.token(ownerId, OWNER);
    long stranger = f.user("stranger@example.com", "Stranger", "stranger-cache");
    f.token(stranger, STRANGER);
  }

  @AfterAll
  void stop() throws Exception {
    rest.close();
  }

  private RecapRenderCache cache() {
    return rest.routes.recapCache();
  }

  private String recap(String id, String... headers) {
    RestHarness.Reply r = rest.get("/api/session/" + id + "/recap", headers);
    assertEquals(200, r.status(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    return r.body();
  }

  /** What the route rendered before the render cache existed: a fresh query at the clock's instant. */
  private String fresh(String id, Long viewer) throws Exception {
    SessionRecaps.Recap r = new SessionRecaps(rest.dataSource).recap(id, viewer, clock.instant()).orElseThrow();
    return ReadSideJson.recap(r).toString();
  }

  private static JsonNode json(String body) {
    try {
      return RestJson.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new AssertionError(body, e);
    }
  }

  /** An ended session with 500 plays, likes, linked and unlinked tempo, metrics and a poll. */
  private void bigSession(String id, Long owner, long pollId) {
    f.session(id, owner, "DJ Big", T0.minusSeconds(20_000), T0.minusSeconds(1_000));
    for (int i = 0; i < 500; i++) {
      long play = f.play(id, "Artist " + (i % 37), "Title \"" + i + "\" ünïcødé", T0.minusSeconds(19_000 - 30L * i));
      if (i % 3 == 0) f.metrics(play, 80 + i % 90, "5A", i % 101, null, 0, 50, 70);
      if (i % 5 == 0) f.like(id, "client_" + i, play, T0.minusSeconds(18_000));
      if (i % 7 == 0) f.tempo(id, "Artist " + (i % 37), "Title \"" + i + "\" ünïcødé", 1, 2, 3, i % 14 == 0 ? play : null, T0.minusSeconds(17_000));
    }
    f.poll(pollId, id, "Next?", "[\"a\",\"b\"]", "closed", "Artist 1", "Title", T0.minusSeconds(5_000),
        T0.minusSeconds(4_000));
  }

  @Test
  void aRecapServedTwiceIsByteIdenticalToTheFreshComputation() throws Exception {
    String id = "cache_identical_session";
    bigSession(id, null, 7001);
    String expected = fresh(id, null);
    long hits = cache().hits();
    String first = recap(id);
    String second = recap(id);
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), first.getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), second.getBytes(StandardCharsets.UTF_8));
    assertEquals(hits + 1, cache().hits(), "the second request is answered from the render cache");
    assertEquals(500, json(second).get("trackCount").asInt());
  }

  @Test
  void aNewReadVersionIsSeenByTheNextRequest() {
    String id = "cache_version_session";
    f.session(id, null, "DJ V", T0.minusSeconds(7_200), T0.minusSeconds(3_600));
    long play = f.play(id, "A", "One", T0.minusSeconds(7_000));
    recap(id);
    // not versioned: the copy is served as long as the version stands (proves the copy is used at all) …
    f.unversionedDjName(id, "DJ Unseen");
    assertEquals("DJ V", json(recap(id)).get("djName").asText());
    // … and each versioned write is seen at once
    f.like(id, "client_x", play, T0.minusSeconds(6_900));
    JsonNode r = json(recap(id));
    assertEquals(1, r.get("totalLikes").asInt());
    assertEquals("DJ Unseen", r.get("djName").asText());
    f.tempo(id, "A", "One", 4, 5, 6, play, T0.minusSeconds(6_800));
    assertEquals("{\"slower\":4,\"perfect\":5,\"faster\":6}", json(recap(id)).get("tracks").get(0).get("tempo").toString());
    f.play(id, "B", "Two", T0.minusSeconds(6_000));
    assertEquals(2, json(recap(id)).get("trackCount").asInt());
    f.metrics(play, 99, "9B", null, null, null, null, null);
    assertEquals(99, json(recap(id)).get("tracks").get(0).get("bpm").asInt());
  }

  @Test
  void aFingerprintSyncIsSeenByTheNextRequest() {
    String id = "cache_fingerprint_session";
    f.session(id, ownerId, "Owner", T0.minusSeconds(7_200), T0.minusSeconds(3_600));
    f.play(id, "Rosie Carney", "Sway", T0.minusSeconds(7_000));
    assertTrue(json(recap(id)).get("tracks").get(0).get("bpm").isNull());
    long hits = cache().hits();
    assertTrue(json(recap(id)).get("tracks").get(0).get("bpm").isNull());
    assertEquals(hits + 1, cache().hits(), "the copy is in use before the sync");
    RestHarness.Reply sync =
        rest.post("/api/sessions/" + id + "/sync-fingerprints", "{\"tracks\":[{\"artist\":\"Rosie Carney\",\"title\":\"Sway\",\"bpm\":88}]}",
            "Authorization", "Bearer " + OWNER);
    assertEquals(200, sync.status(), sync.body());
    assertEquals(88, json(recap(id)).get("tracks").get(0).get("bpm").asInt());
  }

  @Test
  void anOpenSessionIsCachedOnlyOnceItsEndNoLongerMovesWithTheClock() {
    String id = "cache_open_session";
    Instant lastPlay = T0.plusSeconds(3_600);
    f.session(id, null, "DJ Open", T0, null);
    f.play(id, "A", "Last", lastPlay);

    clock.set(lastPlay.plusSeconds(60));
    assertEquals("2026-01-16T21:01:00.000Z", json(recap(id)).get("endedAt").asText());
    f.unversionedDjName(id, "DJ Open 2");
    clock.set(lastPlay.plusSeconds(120));
    JsonNode moving = json(recap(id));
    assertEquals("2026-01-16T21:02:00.000Z", moving.get("endedAt").asText(), "endedAt is now: never from a copy");
    assertEquals("DJ Open 2", moving.get("djName").asText());

    // 5 min after the last play the end stands still: from here on a copy is valid
    clock.set(lastPlay.plusSeconds(360));
    assertEquals("2026-01-16T21:05:00.000Z", json(recap(id)).get("endedAt").asText());
    f.unversionedDjName(id, "DJ Open 3");
    clock.set(lastPlay.plusSeconds(86_400));
    JsonNode stable = json(recap(id));
    assertEquals("2026-01-16T21:05:00.000Z", stable.get("endedAt").asText());
    assertEquals("DJ Open 2", stable.get("djName").asText(), "served from the copy");

    // the clock stepped back before the copy's first valid instant: a fresh query again
    clock.set(lastPlay.plusSeconds(240));
    JsonNode back = json(recap(id));
    assertEquals("2026-01-16T21:04:00.000Z", back.get("endedAt").asText());
    assertEquals("DJ Open 3", back.get("djName").asText());

    // without plays an open session shows now: never from a copy, even at the same instant
    String empty = "cache_open_empty";
    f.session(empty, null, "DJ Empty", T0, null);
    clock.set(T0.plusSeconds(86_400));
    assertEquals("DJ Empty", json(recap(empty)).get("djName").asText());
    f.unversionedDjName(empty, "DJ Empty 2");
    assertEquals("DJ Empty 2", json(recap(empty)).get("djName").asText());
    clock.set(T0);
  }

  @Test
  void ownerAndPublicRecapsAreSeparateCopies() throws Exception {
    String id = "cache_owner_session";
    bigSession(id, ownerId, 7002);
    String owner = recap(id, "Authorization", "Bearer " + OWNER);
    String pub = recap(id);
    String stranger = recap(id, "Authorization", "Bearer " + STRANGER);
    String invalid = recap(id, "Authorization", "Bearer pk_dj_nobody");
    assertEquals(fresh(id, ownerId), owner);
    assertEquals(fresh(id, null), pub);
    assertTrue(json(owner).has("polls"));
    assertFalse(json(pub).has("polls"));
    assertEquals(pub, stranger);
    assertEquals(pub, invalid);

    long hits = cache().hits();
    assertEquals(owner, recap(id, "Authorization", "Bearer " + OWNER), "the owner's copy, polls included");
    assertEquals(pub, recap(id), "the public copy, no polls");
    assertEquals(hits + 2, cache().hits());
  }

  @Test
  void anUnknownSessionIs404AndNothingIsKept() {
    long size = cache().size();
    RestHarness.Reply r = rest.get("/api/session/cache_no_such_session/recap");
    assertEquals(404, r.status());
    assertEquals("{\"error\":\"Session not found\"}", r.body());
    assertEquals(size, cache().size());
  }

  @Test
  void theRouteKeepsAtMostItsByteBound() throws Exception {
    // sessions of about 26 KB each (100 plays), a bound of 3.5 of them
    String[] ids = new String[6];
    for (int s = 0; s < ids.length; s++) {
      ids[s] = "cache_bound_session_" + s;
      f.session(ids[s], null, "DJ " + s, T0.minusSeconds(9_000), T0.minusSeconds(1_000));
      for (int i = 0; i < 100; i++) f.play(ids[s], "Artist " + i, "A longish title for track " + i, T0.minusSeconds(8_000 - i));
    }
    int one = fresh(ids[0], null).getBytes(StandardCharsets.UTF_8).length;
    long bound = one * 7L / 2;
    try (RestHarness small = new RestHarness(TestDatabase.fresh(), false, Duration.ZERO, bound, clock)) {
      ReadSideFixture g = new ReadSideFixture(small.dataSource);
      for (int s = 0; s < ids.length; s++) {
        g.session(ids[s], null, "DJ " + s, T0.minusSeconds(9_000), T0.minusSeconds(1_000));
        for (int i = 0; i < 100; i++) g.play(ids[s], "Artist " + i, "A longish title for track " + i, T0.minusSeconds(8_000 - i));
      }
      RecapRenderCache c = small.routes.recapCache();
      for (String id : ids) assertEquals(200, small.get("/api/session/" + id + "/recap").status());
      assertTrue(c.bytes() <= bound, c.bytes() + " bytes held, bound " + bound);
      assertTrue(c.size() >= 1 && c.size() <= 3, c.size() + " entries");
      assertEquals(c.size() * (long) one, c.bytes(), "the weight of an entry is its body's size");
    }
  }

  private static HttpEntity.Strict body(int bytes) {
    return HttpEntities.create(ContentTypes.APPLICATION_JSON, ByteString.fromArrayUnsafe(new byte[bytes]));
  }

  @Test
  void theCacheItselfChecksVersionClockAndBound() {
    RecapRenderCache c = new RecapRenderCache(10_000);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    c.store("s1", false, 5, t, body(3_000));
    assertTrue(c.lookup("s1", false, 5, t).isPresent());
    assertTrue(c.lookup("s1", false, 6, t).isEmpty(), "another version");
    assertTrue(c.lookup("s1", true, 5, t).isEmpty(), "the other variant");
    assertTrue(c.lookup("s1", false, 5, t.minusMillis(1)).isEmpty(), "before its first valid instant");
    c.store("s1", false, 4, Instant.MIN, body(2_000));
    assertEquals(3_000, c.lookup("s1", false, 5, t).orElseThrow().getData().size(), "an older version never replaces a newer");
    c.store("s2", false, 1, null, body(100));
    assertTrue(c.lookup("s2", false, 1, t).isEmpty(), "a clock-dependent body is not kept");
    c.store("s3", false, 1, Instant.MIN, body(10_001));
    assertTrue(c.lookup("s3", false, 1, t).isEmpty(), "a body over the whole bound is not kept");
    for (int i = 0; i < 10; i++) c.store("b" + i, false, 1, Instant.MIN, body(3_000));
    assertTrue(c.bytes() <= 10_000, c.bytes() + " bytes");
    assertTrue(c.size() <= 3, c.size() + " entries");
    assertNotEquals(0, c.size());
    RecapRenderCache off = new RecapRenderCache(0);
    off.store("s1", false, 1, Instant.MIN, body(10));
    assertTrue(off.lookup("s1", false, 1, t).isEmpty(), "0 turns it off");
  }
}
