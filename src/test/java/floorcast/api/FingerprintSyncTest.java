package floorcast.api;

import static floorcast.api.RestHarness.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import floorcast.readside.ReadSideFixture;
import floorcast.readside.Sql;
import floorcast.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** rest.md §4.5: owner mode, fill-in mode, the checks in their order. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FingerprintSyncTest {
  private static final Instant NOW = Instant.parse("2026-01-16T12:00:00Z");
  private static final String OWNER = "pk_dj_00000000000000000000000000000011";
  private static final String STRANGER = "pk_dj_00000000000000000000000000000012";
  private RestHarness rest;
  private ReadSideFixture f;
  private Sql sql;
  private long ownerId;

  @BeforeAll
  void start() throws Exception {
    rest = new RestHarness(TestDatabase.fresh(), false, Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC));
    f = new ReadSideFixture(rest.dataSource);
    sql = new Sql(rest.dataSource);
    ownerId = f.user("owner@example.com", "Owner", "owner");
    f.token(ownerId, OWNER);
    long stranger = f.user("s@example.com", "Stranger", "stranger");
    f.token(stranger, STRANGER);
  }

  @AfterAll
  void stop() throws Exception {
    rest.close();
  }

  private String url(String id) {
    return "/api/sessions/" + id + "/sync-fingerprints";
  }

  private static final String SWAY =
      "{\"tracks\":[{\"artist\":\"rosie  carney\",\"title\":\" Sway\",\"bpm\":88.5,\"key\":\"5A\",\"energy\":0,\"danceability\":71,"
          + "\"brightness\":null,\"acousticness\":64.49,\"groove\":\"52\"},"
          + "{\"artist\":\"Nobody\",\"title\":\"Unplayed\",\"bpm\":100},"
          + "{\"artist\":\"Rosie Carney\"},"
          + "42,"
          + "{\"artist\":\"Rosie Carney\",\"title\":\"Sway\",\"bpm\":30,\"energy\":101,\"key\":\"12345678901\"}]}";

  private List<Map<String, Object>> metrics(String id) {
    return sql.rows(
        "SELECT bpm, key, energy, danceability, brightness, acousticness, groove FROM played_tracks WHERE session_id = ? ORDER BY id", id);
  }

  @Test
  void ownerOverwritesEveryPlayOfTheTrackKeyAtAnyTime() {
    String id = "owner_session_old";
    f.session(id, ownerId, "Owner", Instant.parse("2025-01-01T20:00:00Z"), Instant.parse("2025-01-01T23:00:00Z"));
    long a = f.play(id, "Rosie Carney", "Sway", Instant.parse("2025-01-01T20:10:00Z"));
    long b = f.play(id, "Rosie Carney", "Sway", Instant.parse("2025-01-01T21:10:00Z"));
    f.metrics(a, 120, "1A", 50, 50, 50, 50, 50);
    f.metrics(b, 120, "1A", 50, 50, 50, 50, 50);
    assertJson(200, "{\"synced\":1,\"total\":5,\"sessionId\":\"" + id + "\"}", rest.post(url(id), SWAY, "Authorization", "Bearer " + OWNER));
    Map<String, Object> expected = new java.util.HashMap<>();
    expected.put("bpm", 89);
    expected.put("key", "5A");
    expected.put("energy", 0);
    expected.put("danceability", 71);
    expected.put("brightness", 50);
    expected.put("acousticness", 64);
    expected.put("groove", 50);
    assertEquals(List.of(expected, expected), metrics(id));
  }

  @Test
  void fillInWithoutTokenOnlySetsEmptyValuesWithin24Hours() {
    String id = "fill_in_session";
    f.session(id, ownerId, "Owner", Instant.parse("2026-01-15T10:00:00Z"), Instant.parse("2026-01-15T13:00:00Z"));
    long a = f.play(id, "Rosie Carney", "Sway", Instant.parse("2026-01-15T12:10:00Z"));
    f.metrics(a, 120, null, null, null, null, null, 7);
    assertJson(200, "{\"synced\":1,\"total\":5,\"sessionId\":\"" + id + "\"}", rest.post(url(id), SWAY));
    Map<String, Object> expected = new java.util.HashMap<>();
    expected.put("bpm", 120);
    expected.put("key", "5A");
    expected.put("energy", 0);
    expected.put("danceability", 71);
    expected.put("brightness", null);
    expected.put("acousticness", 64);
    expected.put("groove", 7);
    assertEquals(List.of(expected), metrics(id));
  }

  @Test
  void fillInOfLiveSessionIsAllowed() {
    String id = "live_fill_session";
    f.session(id, null, "Anon", Instant.parse("2026-01-10T10:00:00Z"), null);
    f.play(id, "Rosie Carney", "Sway", Instant.parse("2026-01-10T10:10:00Z"));
    assertJson(200, "{\"synced\":1,\"total\":5,\"sessionId\":\"" + id + "\"}", rest.post("/sessions/" + id + "/sync-fingerprints", SWAY));
  }

  @Test
  void fillInMoreThan24HoursAfterLastActivityNeedsAToken() {
    String id = "stale_fill_session";
    f.session(id, ownerId, "Owner", Instant.parse("2026-01-14T10:00:00Z"), Instant.parse("2026-01-15T11:59:59Z"));
    f.play(id, "Rosie Carney", "Sway", Instant.parse("2026-01-14T10:10:00Z"));
    assertJson(401, "{\"error\":\"Authorization token required\"}", rest.post(url(id), SWAY));
    assertJson(401, "{\"error\":\"Authorization token required\"}", rest.post(url(id), SWAY, "Authorization", "Basic abc"));
    assertEquals(null, metrics(id).get(0).get("key"));
  }

  @Test
  void checksRunInTheDocumentedOrder() {
    String owned = "ordered_checks_session";
    f.session(owned, ownerId, "Owner", Instant.parse("2026-01-16T10:00:00Z"), null);
    String anonymous = "anonymous_checks_session";
    f.session(anonymous, null, "Anon", Instant.parse("2026-01-16T10:00:00Z"), null);
    // unknown token before unknown session
    assertJson(401, "{\"error\":\"Invalid token\"}", rest.post(url("no_such_session"), "not json", "Authorization", "Bearer pk_dj_bad"));
    // a value pekko-http cannot model as a credential is still a token
    assertJson(401, "{\"error\":\"Invalid token\"}", rest.post(url("no_such_session"), "not json", "Authorization", "Bearer not a token"));
    assertJson(404, "{\"error\":\"Session not found\"}", rest.post(url("no_such_session"), "not json", "Authorization", "Bearer " + OWNER));
    assertJson(404, "{\"error\":\"Session not found\"}", rest.post(url("no_such_session"), "not json"));
    assertJson(404, "{\"error\":\"Session not found\"}", rest.post(url("%00bad"), SWAY));
    assertJson(403, "{\"error\":\"Not the session owner\"}", rest.post(url(owned), "not json", "Authorization", "Bearer " + STRANGER));
    assertJson(403, "{\"error\":\"Not the session owner\"}", rest.post(url(anonymous), SWAY, "Authorization", "Bearer " + OWNER));
    String required = "{\"error\":\"Invalid request: tracks array required\"}";
    for (String body : new String[] {"not json", "", "[]", "null", "{}", "{\"tracks\":{}}", "{\"tracks\":\"x\"}", "{\"tracks\":[1,", "[".repeat(5000), "{\"tracks\":[]}xyz"}) {
      assertJson(400, required, rest.post(url(owned), body, "Authorization", "Bearer " + OWNER));
      assertJson(400, required, rest.post(url(owned), body));
    }
    String entry = "{\"artist\":\"a\",\"title\":\"t\",\"bpm\":100}";
    String many = "{\"tracks\":[" + String.join(",", java.util.Collections.nCopies(501, entry)) + "]}";
    assertJson(400, "{\"error\":\"Invalid request: at most 500 tracks\"}", rest.post(url(owned), many, "Authorization", "Bearer " + OWNER));
    String exactly500 = "{\"tracks\":[" + String.join(",", java.util.Collections.nCopies(500, entry)) + "]}";
    assertJson(200, "{\"synced\":0,\"total\":500,\"sessionId\":\"" + owned + "\"}", rest.post(url(owned), exactly500, "Authorization", "Bearer " + OWNER));
  }

  @Test
  void hugeAndOddNumbersAreIgnoredNotFatal() {
    String id = "odd_numbers_session";
    f.session(id, null, "Anon", Instant.parse("2026-01-16T10:00:00Z"), null);
    f.play(id, "A", "B", Instant.parse("2026-01-16T10:10:00Z"));
    String body = "{\"tracks\":[{\"artist\":\"A\",\"title\":\"B\",\"bpm\":1e400,\"energy\":-1,\"groove\":1" + "0".repeat(400)
        + ",\"danceability\":99.5,\"key\":\"\\u0000\"},{\"artist\":\"A\\u0000\",\"title\":\"B\",\"bpm\":100}]}";
    assertJson(200, "{\"synced\":1,\"total\":2,\"sessionId\":\"" + id + "\"}", rest.post(url(id), body));
    assertEquals(100, metrics(id).get(0).get("danceability"));
    assertEquals(null, metrics(id).get(0).get("bpm"));
  }
}
