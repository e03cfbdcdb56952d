package floorcast.api;

import static floorcast.api.RestHarness.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.readside.ReadSideFixture;
import floorcast.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** rest.md §4.2 recent, §4.3 history, §4.4 recap. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionQueriesTest {
  private static final Instant NOW = Instant.parse("2026-01-16T12:00:00Z");
  private static final String ID = "pika_1736972400000_k3j9x2m1q";
  private static final String[] PREFIXES = {"/api/sessions", "/api/session", "/sessions"};
  private RestHarness rest;
  private ReadSideFixture f;
  private long ownerId;

  @BeforeAll
  void start() throws Exception {
    rest = new RestHarness(TestDatabase.fresh(), false, Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC));
    f = new ReadSideFixture(rest.dataSource);
    ownerId = f.user("dj@example.com", "DJ Smooth", "dj-smooth");
    f.token(ownerId, "pk_dj_00000000000000000000000000000001");
    long other = f.user("other@example.com", "Other", "other");
    f.token(other, "pk_dj_00000000000000000000000000000002");

    // the recap example of rest.md §4.4
    f.session(ID, ownerId, "DJ Smooth", Instant.parse("2026-01-15T20:20:00Z"), Instant.parse("2026-01-16T00:05:12Z"));
    long queen = f.play(ID, "Delta Dreambox", "Queen of Loneliness", Instant.parse("2026-01-15T20:24:05Z"));
    f.metrics(queen, 96, "Am", 62, 78, 40, 12, 70);
    long sway = f.play(ID, "Rosie Carney", "Sway", Instant.parse("2026-01-15T20:28:40Z"));
    f.metrics(sway, null, null, null, null, null, null, 0);
    for (int i = 0; i < 3; i++) f.like(ID, "client_q" + i, queen, Instant.parse("2026-01-15T20:25:00Z"));
    for (int i = 0; i < 2; i++) f.like(ID, "client_s" + i, sway, Instant.parse("2026-01-15T20:29:00Z"));
    f.tempo(ID, "Delta Dreambox", "Queen of Loneliness", 1, 5, 4, queen, Instant.parse("2026-01-15T20:28:40Z"));
    f.tempo(ID, "Delta Dreambox", "Queen of Loneliness", 0, 4, 0, queen, Instant.parse("2026-01-15T20:28:41Z"));
    f.poll(412, ID, "Next style?", "[\"Blues\",\"Contemporary\",\"Lyrical\",\"Funky\"]", "closed", "Delta Dreambox", "Queen of Loneliness",
        Instant.parse("2026-01-15T22:06:20Z"), Instant.parse("2026-01-15T22:08:20Z"));
    int[] votes = {3, 1, 0, 6};
    int n = 0;
    for (int option = 0; option < votes.length; option++) {
      for (int v = 0; v < votes[option]; v++) f.vote(412, "client_v" + (n++), option, Instant.parse("2026-01-15T22:07:00Z"));
    }
  }

  @AfterAll
  void stop() throws Exception {
    rest.close();
  }

  private static final String PUBLIC_RECAP =
      "{\"sessionId\":\"pika_1736972400000_k3j9x2m1q\",\"djName\":\"DJ Smooth\",\"startedAt\":\"2026-01-15T20:20:00.000Z\","
          + "\"endedAt\":\"2026-01-16T00:05:12.000Z\",\"trackCount\":2,\"totalLikes\":5,\"tracks\":["
          + "{\"position\":1,\"artist\":\"Delta Dreambox\",\"title\":\"Queen of Loneliness\",\"bpm\":96,\"key\":\"Am\",\"energy\":62,"
          + "\"danceability\":78,\"brightness\":40,\"acousticness\":12,\"groove\":70,\"playedAt\":\"2026-01-15T20:24:05.000Z\","
          + "\"likes\":3,\"tempo\":{\"slower\":1,\"perfect\":9,\"faster\":4}},"
          + "{\"position\":2,\"artist\":\"Rosie Carney\",\"title\":\"Sway\",\"bpm\":null,\"key\":null,\"energy\":null,\"danceability\":null,"
          + "\"brightness\":null,\"acousticness\":null,\"groove\":0,\"playedAt\":\"2026-01-15T20:28:40.000Z\",\"likes\":2,\"tempo\":null}]";
  private static final String OWNER_POLLS =
      ",\"polls\":[{\"id\":412,\"question\":\"Next style?\",\"options\":[\"Blues\",\"Contemporary\",\"Lyrical\",\"Funky\"],"
          + "\"votes\":[3,1,0,6],\"totalVotes\":10,\"winnerIndex\":3,\"winner\":\"Funky\",\"startedAt\":\"2026-01-15T22:06:20.000Z\","
          + "\"endedAt\":\"2026-01-15T22:08:20.000Z\",\"currentTrack\":{\"artist\":\"Delta Dreambox\",\"title\":\"Queen of Loneliness\"}}],"
          + "\"totalPolls\":1,\"totalPollVotes\":10";

  @Test
  void recapForTheOwnerHasPolls() {
    for (String prefix : PREFIXES) {
      assertJson(200, PUBLIC_RECAP + OWNER_POLLS + "}",
          rest.get(prefix + "/" + ID + "/recap", "Authorization", "bearer   pk_dj_00000000000000000000000000000001  "));
    }
  }

  @Test
  void recapWithoutValidOwnerTokenIsPublicNeverAnError() {
    String[][] headers = {
      {},
      {"Authorization", "Bearer pk_dj_00000000000000000000000000000002"},
      {"Authorization", "Bearer pk_dj_unknown"},
      {"Authorization", "Bearer "},
      {"Authorization", "Basic abc"},
      {"Authorization", "pk_dj_00000000000000000000000000000001"}
    };
    for (String[] h : headers) assertJson(200, PUBLIC_RECAP + "}", rest.get("/api/session/" + ID + "/recap", h));
  }

  @Test
  void recapOfUnknownSessionIs404() {
    assertJson(404, "{\"error\":\"Session not found\"}", rest.get("/api/sessions/pika_unknown_session/recap"));
    assertJson(404, "{\"error\":\"Session not found\"}", rest.get("/api/sessions/%00%00/recap"));
    assertJson(404, "{\"error\":\"Session not found\"}", rest.get("/api/sessions/" + "x".repeat(1500) + "/recap"));
  }

  @Test
  void recapOfOpenSessionEndsFiveMinutesAfterLastPlayOrNow() {
    f.session("open_with_plays", null, "", Instant.parse("2026-01-16T10:00:00Z"), null);
    f.play("open_with_plays", "A", "B", Instant.parse("2026-01-16T10:10:00Z"));
    JsonNode r = rest.get("/api/sessions/open_with_plays/recap").json();
    assertEquals("2026-01-16T10:15:00.000Z", r.get("endedAt").asText());
    assertEquals("DJ", r.get("djName").asText());
    assertFalse(r.has("polls"));

    f.session("open_recent_play", null, "DJ R", Instant.parse("2026-01-16T11:00:00Z"), null);
    f.play("open_recent_play", "A", "B", Instant.parse("2026-01-16T11:58:00Z"));
    assertEquals("2026-01-16T12:00:00.000Z", rest.get("/api/sessions/open_recent_play/recap").json().get("endedAt").asText());

    f.session("open_no_plays", null, "DJ N", Instant.parse("2026-01-16T11:00:00Z"), null);
    JsonNode empty = rest.get("/api/sessions/open_no_plays/recap").json();
    assertEquals("2026-01-16T12:00:00.000Z", empty.get("endedAt").asText());
    assertEquals(0, empty.get("trackCount").asInt());
    assertEquals(0, empty.get("tracks").size());
  }

  @Test
  void recapTempoFallsBackToTheMostRecentUnlinkedTallyOfSameArtistAndTitle() {
    String id = "imported_tempo_session";
    f.session(id, null, "DJ I", Instant.parse("2026-01-10T20:00:00Z"), Instant.parse("2026-01-10T23:00:00Z"));
    f.play(id, "Art", "Song", Instant.parse("2026-01-10T20:10:00Z"));
    f.play(id, "art", "song", Instant.parse("2026-01-10T20:20:00Z"));
    f.tempo(id, "Art", "Song", 1, 1, 1, null, Instant.parse("2026-01-10T20:15:00Z"));
    f.tempo(id, "Art", "Song", 2, 3, 4, null, Instant.parse("2026-01-10T20:25:00Z"));
    JsonNode tracks = rest.get("/api/sessions/" + id + "/recap").json().get("tracks");
    assertEquals("{\"slower\":2,\"perfect\":3,\"faster\":4}", tracks.get(0).get("tempo").toString());
    assertTrue(tracks.get(1).get("tempo").isNull(), "artist/title matched exactly");
  }

  @Test
  void recapPollWithoutVotesHasNoWinnerAndActivePollNoEnd() {
    String id = "poll_owner_session";
    f.session(id, ownerId, "DJ Smooth", Instant.parse("2026-01-16T09:00:00Z"), null);
    f.poll(900, id, "Q", "[\"a\",\"b\"]", "active", null, null, Instant.parse("2026-01-16T09:10:00Z"), null);
    f.poll(901, id, "Tie", "[\"a\",\"b\"]", "closed", "X", null, Instant.parse("2026-01-16T09:20:00Z"), Instant.parse("2026-01-16T09:21:00Z"));
    f.vote(901, "client_1", 1, Instant.parse("2026-01-16T09:20:30Z"));
    f.vote(901, "client_2", 0, Instant.parse("2026-01-16T09:20:31Z"));
    JsonNode r = rest.get("/api/sessions/" + id + "/recap", "Authorization", "Bearer pk_dj_00000000000000000000000000000001").json();
    assertEquals(
        "[{\"id\":900,\"question\":\"Q\",\"options\":[\"a\",\"b\"],\"votes\":[0,0],\"totalVotes\":0,\"winnerIndex\":-1,\"winner\":null,"
            + "\"startedAt\":\"2026-01-16T09:10:00.000Z\",\"endedAt\":null,\"currentTrack\":null},"
            + "{\"id\":901,\"question\":\"Tie\",\"options\":[\"a\",\"b\"],\"votes\":[1,1],\"totalVotes\":2,\"winnerIndex\":0,\"winner\":\"a\","
            + "\"startedAt\":\"2026-01-16T09:20:00.000Z\",\"endedAt\":\"2026-01-16T09:21:00.000Z\",\"currentTrack\":{\"artist\":\"X\",\"title\":null}}]",
        r.get("polls").toString());
    assertEquals(2, r.get("totalPolls").asInt());
    assertEquals(2, r.get("totalPollVotes").asInt());
  }

  @Test
  void recapListsAtMost500TracksInPlayOrder() {
    String id = "long_session_500";
    f.session(id, null, "DJ Long", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"));
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 505; i++) f.play(id, "A", "T" + i, t.plusSeconds(i));
    JsonNode r = rest.get("/api/sessions/" + id + "/recap").json();
    assertEquals(500, r.get("trackCount").asInt());
    assertEquals(500, r.get("tracks").size());
    assertEquals("T0", r.get("tracks").get(0).get("title").asText());
    assertEquals(500, r.get("tracks").get(499).get("position").asInt());
    assertEquals("T499", r.get("tracks").get(499).get("title").asText());
  }

  @Test
  void historyHasThe50NewestPlays() {
    String id = "history_session_1";
    f.session(id, null, "DJ H", Instant.parse("2026-01-01T00:00:00Z"), null);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    long lastId = 0;
    for (int i = 0; i < 55; i++) lastId = f.play(id, "A", "T" + i, t.plusSeconds(60L * i));
    for (String prefix : PREFIXES) {
      JsonNode h = rest.get(prefix + "/" + id + "/history").json();
      assertEquals(50, h.size());
      assertEquals(
          "{\"id\":" + lastId + ",\"artist\":\"A\",\"title\":\"T54\",\"playedAt\":\"2026-01-01T00:54:00.000Z\"}", h.get(0).toString());
      assertEquals("T5", h.get(49).get("title").asText());
    }
  }

  @Test
  void historyOfUnknownOrMalformedSessionIsEmpty() {
    assertJson(200, "[]", rest.get("/api/sessions/pika_no_such_session/history"));
    assertJson(200, "[]", rest.get("/sessions/%00/history"));
    assertJson(200, "[]", rest.get("/api/session/%E2%9C%93%20x/history"));
  }

  @Test
  void recentHasTheFiveNewestEndedSessions() {
    // own database: counts must not see other tests' sessions
    try (RestHarness own = new RestHarness(TestDatabase.fresh())) {
      ReadSideFixture g = new ReadSideFixture(own.dataSource);
      Instant t = Instant.parse("2026-01-01T00:00:00Z");
      for (int i = 0; i < 7; i++) g.session("ended_session_" + i, null, "DJ " + i, t.plusSeconds(i), t.plusSeconds(3600 + 60L * i));
      g.session("live_session_x", null, "DJ live", t.plusSeconds(99_999), null);
      StringBuilder expected = new StringBuilder("[");
      for (int i = 6; i >= 2; i--) {
        if (i < 6) expected.append(',');
        expected.append("{\"id\":\"ended_session_").append(i).append("\",\"djName\":\"DJ ").append(i)
            .append("\",\"startedAt\":\"2026-01-01T00:00:0").append(i).append(".000Z\",\"endedAt\":\"2026-01-01T01:0")
            .append(i).append(":00.000Z\"}");
      }
      expected.append(']');
      for (String prefix : PREFIXES) assertJson(200, expected.toString(), own.get(prefix + "/recent"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
