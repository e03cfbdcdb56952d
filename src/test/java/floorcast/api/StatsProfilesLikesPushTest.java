package floorcast.api;

import static floorcast.api.RestHarness.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.readside.ReadSideFixture;
import floorcast.readside.Sql;
import floorcast.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rest.md §4.6 statistics, §4.7 DJ profile, §4.8 like journal, §4.9 push subscription; the §1 cache. */
class StatsProfilesLikesPushTest {
  private static final Instant T = Instant.parse("2026-01-15T20:00:00Z");

  @Test
  void topTracksAreTheTenMostLikedExactCasePairsTiesByArtistThenTitle() throws Exception {
    try (RestHarness rest = new RestHarness(TestDatabase.fresh())) {
      ReadSideFixture f = new ReadSideFixture(rest.dataSource);
      assertJson(200, "[]", rest.get("/api/stats/top-tracks"));
      f.session("stats_session_1", null, "DJ", T, null);
      f.session("stats_session_2", null, "DJ", T, null);
      // Abba/Waterloo: 4 + 3 likes over two sessions; the lower-case spelling is another pair
      likes(f, "stats_session_1", "Abba", "Waterloo", 4);
      likes(f, "stats_session_2", "Abba", "Waterloo", 3);
      likes(f, "stats_session_1", "abba", "Waterloo", 1);
      likes(f, "stats_session_1", "Zed", "Song", 5);
      likes(f, "stats_session_1", "Mid", "X", 6);
      likes(f, "stats_session_2", "Abba", "Dancing Queen", 7);
      int[] counts = {4, 4, 3, 3, 2, 2, 1};
      for (int i = 0; i < counts.length; i++) likes(f, "stats_session_2", "P" + (i + 1), "T", counts[i]);
      f.play("stats_session_1", "Unliked", "Track", T);
      assertJson(
          200,
          "[{\"artist\":\"Abba\",\"title\":\"Dancing Queen\",\"likeCount\":7},{\"artist\":\"Abba\",\"title\":\"Waterloo\",\"likeCount\":7},"
              + "{\"artist\":\"Mid\",\"title\":\"X\",\"likeCount\":6},{\"artist\":\"Zed\",\"title\":\"Song\",\"likeCount\":5},"
              + "{\"artist\":\"P1\",\"title\":\"T\",\"likeCount\":4},{\"artist\":\"P2\",\"title\":\"T\",\"likeCount\":4},"
              + "{\"artist\":\"P3\",\"title\":\"T\",\"likeCount\":3},{\"artist\":\"P4\",\"title\":\"T\",\"likeCount\":3},"
              + "{\"artist\":\"P5\",\"title\":\"T\",\"likeCount\":2},{\"artist\":\"P6\",\"title\":\"T\",\"likeCount\":2}]",
          rest.get("/api/stats/top-tracks"));
    }
  }

  private static void likes(ReadSideFixture f, String sessionId, String artist, String title, int n) {
    long play = f.play(sessionId, artist, title, T);
    for (int k = 0; k < n; k++) f.like(sessionId, "client_" + artist + k, play, T);
  }

  @Test
  void globalCountsAllRows() throws Exception {
    try (RestHarness rest = new RestHarness(TestDatabase.fresh())) {
      ReadSideFixture f = new ReadSideFixture(rest.dataSource);
      assertJson(200, "{\"totalSessions\":0,\"totalTracks\":0,\"totalLikes\":0}", rest.get("/api/stats/global"));
      f.session("global_session_1", null, "DJ", T, T.plusSeconds(60));
      f.session("global_session_2", null, "DJ", T, null);
      long p = f.play("global_session_1", "A", "B", T);
      f.play("global_session_2", "A", "B", T);
      f.play("global_session_2", "C", "D", T);
      f.like("global_session_1", "client_x", p, T);
      assertJson(200, "{\"totalSessions\":2,\"totalTracks\":3,\"totalLikes\":1}", rest.get("/api/stats/global"));
    }
  }

  @Test
  void cachedResponsesMayBeStaleWithinTheirTtlOnlyForRecentTopAndGlobal() throws Exception {
    try (RestHarness rest = new RestHarness(TestDatabase.fresh(), false, Duration.ofMinutes(5), Clock.systemUTC())) {
      ReadSideFixture f = new ReadSideFixture(rest.dataSource);
      assertJson(200, "{\"totalSessions\":0,\"totalTracks\":0,\"totalLikes\":0}", rest.get("/api/stats/global"));
      assertJson(200, "[]", rest.get("/api/sessions/recent"));
      assertJson(200, "[]", rest.get("/api/stats/top-tracks"));
      f.session("cached_session_1", null, "DJ", T, T.plusSeconds(60));
      long p = f.play("cached_session_1", "A", "B", T);
      f.like("cached_session_1", "client_x", p, T);
      assertJson(200, "{\"totalSessions\":0,\"totalTracks\":0,\"totalLikes\":0}", rest.get("/api/stats/global"));
      assertJson(200, "[]", rest.get("/api/sessions/recent"));
      assertJson(200, "[]", rest.get("/api/stats/top-tracks"));
      // history is never cached
      assertEquals(1, rest.get("/api/sessions/cached_session_1/history").json().size());
    }
  }

  @Test
  void djProfileListsOnlyTheAccountsOwnTwentyNewestSessions() throws Exception {
    try (RestHarness rest = new RestHarness(TestDatabase.fresh())) {
      ReadSideFixture f = new ReadSideFixture(rest.dataSource);
      long smooth = f.user("dj@example.com", "DJ Smooth", "dj-smooth");
      f.session("anonymous_same_name", null, "DJ Smooth", T.plusSeconds(999_999), null);
      for (int i = 0; i < 22; i++) {
        String id = "smooth_session_" + String.format("%02d", i);
        f.session(id, smooth, "DJ Smooth " + i, T.plusSeconds(3600L * i), i == 21 ? null : T.plusSeconds(3600L * i + 1800));
        for (int k = 0; k < i % 3; k++) f.play(id, "A", "T" + k, T.plusSeconds(3600L * i + k));
      }
      JsonNode p = rest.get("/api/dj/dj-smooth").json();
      assertEquals("dj-smooth", p.get("slug").asText());
      assertEquals("DJ Smooth", p.get("djName").asText());
      assertEquals(20, p.get("sessions").size());
      assertEquals(20, p.get("totalSessions").asInt());
      assertEquals(
          "{\"id\":\"smooth_session_21\",\"djName\":\"DJ Smooth 21\",\"startedAt\":\"2026-01-16T17:00:00.000Z\",\"endedAt\":null,\"trackCount\":0}",
          p.get("sessions").get(0).toString());
      assertEquals(
          "{\"id\":\"smooth_session_20\",\"djName\":\"DJ Smooth 20\",\"startedAt\":\"2026-01-16T16:00:00.000Z\",\"endedAt\":\"2026-01-16T16:30:00.000Z\",\"trackCount\":2}",
          p.get("sessions").get(1).toString());
      assertEquals("smooth_session_02", p.get("sessions").get(19).get("id").asText());
      long expectedTracks = 0;
      for (int i = 2; i < 22; i++) expectedTracks += i % 3;
      assertEquals(expectedTracks, p.get("totalTracks").asLong());

      long fresh = f.user("new@example.com", "New DJ", "new-dj");
      assertJson(200, "{\"slug\":\"new-dj\",\"djName\":\"New DJ\",\"sessions\":[],\"totalSessions\":0,\"totalTracks\":0}", rest.get("/api/dj/new-dj"));
      assertEquals(fresh > 0, true);
      String notFound = "{\"error\":\"DJ not found\"}";
      assertJson(404, notFound, rest.get("/api/dj/DJ-Smooth"));
      assertJson(404, notFound, rest.get("/api/dj/nobody"));
      assertJson(404, notFound, rest.get("/api/dj/%00"));
      assertJson(404, notFound, rest.get("/api/dj/" + "x".repeat(1800)));
    }
  }

  @Test
  void likeJournalHasThe100NewestLikesOfAValidClientId() throws Exception {
    try (RestHarness rest = new RestHarness(TestDatabase.fresh())) {
      ReadSideFixture f = new ReadSideFixture(rest.dataSource);
      String sid = "pika_1736972400000_k3j9x2m1q";
      f.session(sid, null, "DJ Smooth", Instant.parse("2026-01-15T20:20:00Z"), null);
      long queen = f.play(sid, "Delta Dreambox", "Queen of Loneliness", Instant.parse("2026-01-15T20:24:05Z"));
      String client = "client_1736970000000_x7k2p9q4r";
      long newest = 0;
      for (int i = 0; i < 105; i++) newest = f.like(sid, client, queen, Instant.parse("2026-01-15T20:25:00Z").plusSeconds(i));
      f.like(sid, "client_other", queen, Instant.parse("2026-01-15T23:00:00Z"));
      JsonNode j = rest.get("/api/client/" + client + "/likes").json();
      assertEquals(client, j.get("clientId").asText());
      assertEquals(100, j.get("totalLikes").asInt());
      assertEquals(100, j.get("likes").size());
      assertEquals(
          "{\"id\":" + newest + ",\"sessionId\":\"" + sid + "\",\"artist\":\"Delta Dreambox\",\"title\":\"Queen of Loneliness\","
              + "\"likedAt\":\"2026-01-15T20:26:44.000Z\",\"djName\":\"DJ Smooth\",\"sessionDate\":\"2026-01-15T20:20:00.000Z\"}",
          j.get("likes").get(0).toString());
      assertJson(200, "{\"clientId\":\"CLIENT_none\",\"totalLikes\":0,\"likes\":[]}", rest.get("/api/client/CLIENT_none/likes"));
      String invalid = "{\"error\":\"Invalid client ID format\"}";
      for (String bad : new String[] {"abc", "client_", "client_a.b", "client_%00", "client_%20x", "x_client_a", "client_" + "a".repeat(2000)}) {
        assertJson(400, invalid, rest.get("/api/client/" + bad + "/likes"));
      }
    }
  }

  @Test
  void pushSubscribeUpsertsByEndpoint() throws Exception {
    try (RestHarness rest = new RestHarness(TestDatabase.fresh())) {
      Sql sql = new Sql(rest.dataSource);
      String endpoint = "https://fcm.googleapis.com/fcm/send/abc";
      assertJson(200, "{\"success\":true}",
          rest.post("/api/push/subscribe",
              "{\"endpoint\":\"" + endpoint + "\",\"keys\":{\"p256dh\":\"BNc\",\"auth\":\"tB\"},\"clientId\":\"client_1\"}",
              "X-Pika-Client", "pika-web"));
      sql.update("UPDATE push_subscriptions SET unsubscribed_at = now()");
      assertJson(200, "{\"success\":true}",
          rest.post("/api/push/subscribe", "{\"endpoint\":\"" + endpoint + "\",\"keys\":{\"p256dh\":\"NEW\",\"auth\":\"A2\"}}"));
      assertEquals(
          List.of(Map.of("endpoint", endpoint, "p256dh", "NEW", "auth", "A2", "client_id", "client_1", "unsubscribed", false)),
          sql.rows("SELECT endpoint, p256dh, auth, client_id, unsubscribed_at IS NOT NULL AS unsubscribed FROM push_subscriptions"));
      assertJson(200, "{\"success\":true}",
          rest.post("/api/push/subscribe", "{\"endpoint\":\"" + endpoint + "\",\"keys\":{\"p256dh\":\"NEW\",\"auth\":\"A2\"},\"clientId\":\"client_2\"}"));
      assertEquals("client_2", sql.rows("SELECT client_id FROM push_subscriptions").get(0).get("client_id"));

      String invalid = "{\"error\":\"Invalid subscription\"}";
      String keys = ",\"keys\":{\"p256dh\":\"a\",\"auth\":\"b\"}";
      for (String body : new String[] {
        "", "nope", "[]", "{}", "{\"endpoint\":\"http://x.example/a\"" + keys + "}",
        "{\"endpoint\":\"/relative\"" + keys + "}", "{\"endpoint\":\"https://\"" + keys + "}",
        "{\"endpoint\":\"https://x.example/" + "a".repeat(2040) + "\"" + keys + "}",
        "{\"endpoint\":\"https://x.example/a\",\"keys\":{\"p256dh\":\"\",\"auth\":\"b\"}}",
        "{\"endpoint\":\"https://x.example/a\",\"keys\":{\"p256dh\":\"a\"}}",
        "{\"endpoint\":\"https://x.example/a\",\"keys\":[]}",
        "{\"endpoint\":\"https://x.example/a\"" + keys + ",\"clientId\":5}",
        "{\"endpoint\":\"https://x.example/\\u0000\"" + keys + "}",
        "{\"endpoint\":42" + keys + "}",
        "{\"endpoint\":\"https://x.example/a\"" + keys + "} trailing"
      }) {
        assertJson(400, invalid, rest.post("/api/push/subscribe", body));
      }
      assertEquals(1, sql.count("SELECT count(*) FROM push_subscriptions"));
    }
  }
}
