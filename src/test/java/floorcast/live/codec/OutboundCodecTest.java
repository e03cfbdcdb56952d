package floorcast.live.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import floorcast.session.SessionError;
import floorcast.session.SessionMessage;
import floorcast.session.SessionSummary;
import floorcast.session.TrackInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** protocol.md §6 examples and §1.6 shapes, byte for byte. */
class OutboundCodecTest {
  private static final OutboundCodec codec = new OutboundCodec();
  private static final String S = "pika_1736972400000_k3j9x2m1q";
  private static final Instant T = Instant.parse("2026-01-15T21:04:05.127Z");
  private static final TrackInfo QUEEN = new TrackInfo("Queen of Loneliness", "Delta Dreambox", 96.0, "Am", null, null, null, null, null);

  @Test
  void sessionRegistered() {
    assertEquals(
        "{\"type\":\"SESSION_REGISTERED\",\"sessionId\":\"" + S + "\",\"seq\":1,\"authenticated\":true,\"djName\":\"DJ Smooth\",\"resumed\":false}",
        codec.render(new SessionMessage.SessionRegistered(S, 1, true, "DJ Smooth", false)));
  }

  @Test
  void sessionStartedWithJavaScriptTimestamp() {
    assertEquals(
        "{\"type\":\"SESSION_STARTED\",\"sessionId\":\"" + S + "\",\"seq\":2,\"djName\":\"DJ Smooth\",\"startTime\":\"2026-01-15T20:20:00.000Z\"}",
        codec.render(new SessionMessage.SessionStarted(S, 2, "DJ Smooth", Instant.parse("2026-01-15T20:20:00Z"))));
  }

  @Test
  void timestampsHaveExactlyThreeFractionDigits() {
    String json = codec.render(new SessionMessage.SessionStarted(S, 2, "D", Instant.parse("2026-01-15T20:20:00.123456789Z")));
    assertEquals(true, json.contains("\"startTime\":\"2026-01-15T20:20:00.123Z\""), json);
  }

  @Test
  void sessionsListAssembledFromRenderedEntriesIsByteForByteTheRenderedList() {
    List<SessionSummary> sessions =
        List.of(
            new SessionSummary(S, true, "DJ \"Smooth\" \u00e9\u2728", Instant.parse("2026-01-15T20:20:00Z"), T, QUEEN, null, 87, true, null),
            new SessionSummary("pika_2", true, "DJ\nTwo", Instant.parse("2026-01-15T20:21:00.5Z"), T, null, null, 0, false, null));
    assertEquals(
        codec.sessionsList(sessions), codec.sessionsListOf(sessions.stream().map(codec::sessionEntry).toList()));
    assertEquals(codec.sessionsList(List.of()), codec.sessionsListOf(List.of()));
    assertEquals("{\"type\":\"SESSIONS_LIST\",\"sessions\":[]}", codec.sessionsListOf(List.of()));
  }

  @Test
  void djStatus() {
    assertEquals(
        "{\"type\":\"DJ_STATUS\",\"sessionId\":\"" + S + "\",\"seq\":40,\"connected\":false}",
        codec.render(new SessionMessage.DjStatus(S, 40, false)));
  }

  @Test
  void nowPlayingIntegralBpmWithoutFraction() {
    assertEquals(
        "{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + S + "\",\"seq\":57,\"djName\":\"DJ Smooth\",\"track\":{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96,\"key\":\"Am\"}}",
        codec.render(new SessionMessage.NowPlaying(S, 57, "DJ Smooth", QUEEN)));
  }

  @Test
  void fullTrackInFieldOrderAndFractionsAsJavaScriptWritesThem() {
    TrackInfo full = new TrackInfo("T", "A", 96.4, "8A", 62.0, 78.5, 40.0, 0.25, 100.0);
    assertEquals(
        "{\"type\":\"METADATA_UPDATED\",\"sessionId\":\"" + S + "\",\"seq\":61,\"track\":{\"title\":\"T\",\"artist\":\"A\",\"bpm\":96.4,\"key\":\"8A\",\"energy\":62,\"danceability\":78.5,\"brightness\":40,\"acousticness\":0.25,\"groove\":100}}",
        codec.render(new SessionMessage.MetadataUpdated(S, 61, full)));
  }

  @Test
  void numbersMatchJavaScript() {
    assertEquals("96", JsNumber.format(96.0));
    assertEquals("96.4", JsNumber.format(96.4));
    assertEquals("0", JsNumber.format(0.0));
    assertEquals("0.1", JsNumber.format(0.1));
    assertEquals("0.0001", JsNumber.format(0.0001));
    assertEquals("0.000001", JsNumber.format(0.000001));
    assertEquals("1.5e-7", JsNumber.format(1.5e-7));
    assertEquals("12345678.5", JsNumber.format(12345678.5));
    assertEquals("299.99", JsNumber.format(299.99));
  }

  @Test
  void seqOnlyMessages() {
    assertEquals("{\"type\":\"TRACK_STOPPED\",\"sessionId\":\"" + S + "\",\"seq\":70}", codec.render(new SessionMessage.TrackStopped(S, 70)));
    assertEquals("{\"type\":\"TEMPO_RESET\",\"sessionId\":\"" + S + "\",\"seq\":56}", codec.render(new SessionMessage.TempoReset(S, 56)));
    assertEquals(
        "{\"type\":\"ANNOUNCEMENT_CANCELLED\",\"sessionId\":\"" + S + "\",\"seq\":99}",
        codec.render(new SessionMessage.AnnouncementCancelled(S, 99)));
    assertEquals("{\"type\":\"SESSION_ENDED\",\"sessionId\":\"" + S + "\",\"seq\":501}", codec.render(new SessionMessage.SessionEnded(S, 501)));
  }

  @Test
  void sessionEndedReplyWithoutSeq() {
    assertEquals("{\"type\":\"SESSION_ENDED\",\"sessionId\":\"" + S + "\"}", codec.sessionEndedWithoutSeq(S));
  }

  @Test
  void tempoFeedback() {
    assertEquals(
        "{\"type\":\"TEMPO_FEEDBACK\",\"sessionId\":\"" + S + "\",\"seq\":58,\"faster\":4,\"slower\":1,\"perfect\":9,\"total\":14}",
        codec.render(new SessionMessage.TempoFeedback(S, 58, 4, 1, 9, 14)));
  }

  @Test
  void likeReceivedCarriesTrackInPayloadAndCount() {
    assertEquals(
        "{\"type\":\"LIKE_RECEIVED\",\"sessionId\":\"" + S + "\",\"seq\":59,\"payload\":{\"track\":{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96}},\"count\":3}",
        codec.render(new SessionMessage.LikeReceived(S, 59, new TrackInfo("Queen of Loneliness", "Delta Dreambox", 96.0, null, null, null, null, null, null), 3)));
  }

  @Test
  void reactionReceivedAndListenerCount() {
    assertEquals(
        "{\"type\":\"REACTION_RECEIVED\",\"sessionId\":\"" + S + "\",\"seq\":60,\"reaction\":\"thank_you\",\"count\":2}",
        codec.render(new SessionMessage.ReactionReceived(S, 60, "thank_you", 2)));
    assertEquals(
        "{\"type\":\"LISTENER_COUNT\",\"sessionId\":\"" + S + "\",\"seq\":62,\"count\":87}",
        codec.render(new SessionMessage.ListenerCount(S, 62, 87)));
  }

  @Test
  void sessionsListEntriesWithoutSeqAndCurrentTrackOnlyWhenPlaying() {
    SessionSummary playing =
        new SessionSummary(S, true, "DJ Smooth", Instant.parse("2026-01-15T20:20:00Z"), T, TrackInfo.of("Sway", "Rosie Carney"), null, 87, true, null);
    SessionSummary idle = new SessionSummary("pika_2", true, "DJ B", Instant.parse("2026-01-15T20:21:00Z"), T, null, null, 0, false, null);
    assertEquals(
        "{\"type\":\"SESSIONS_LIST\",\"sessions\":[{\"sessionId\":\"" + S + "\",\"djName\":\"DJ Smooth\",\"startedAt\":\"2026-01-15T20:20:00.000Z\",\"currentTrack\":{\"title\":\"Sway\",\"artist\":\"Rosie Carney\"},\"listenerCount\":87},"
            + "{\"sessionId\":\"pika_2\",\"djName\":\"DJ B\",\"startedAt\":\"2026-01-15T20:21:00.000Z\",\"listenerCount\":0}]}",
        codec.sessionsList(List.of(playing, idle)));
    assertEquals(
        "{\"type\":\"SESSIONS_LIST\",\"sessions\":[{\"sessionId\":\"pika_2\",\"djName\":\"DJ B\",\"startedAt\":\"2026-01-15T20:21:00.000Z\",\"listenerCount\":0}]}",
        codec.render(new SessionMessage.SessionsList("pika_2", List.of(idle))),
        "the snapshot form is the same shape with one entry");
    assertEquals("{\"type\":\"SESSIONS_LIST\",\"sessions\":[]}", codec.sessionsList(List.of()));
  }

  @Test
  void pollStartedBroadcastForm() {
    assertEquals(
        "{\"type\":\"POLL_STARTED\",\"sessionId\":\"" + S + "\",\"seq\":80,\"pollId\":412,\"question\":\"Next style?\",\"options\":[\"Blues\",\"Contemporary\",\"Lyrical\",\"Funky\"],\"endsAt\":\"2026-01-15T22:08:20.000Z\"}",
        codec.render(
            new SessionMessage.PollStarted(
                S, 80, 412, "Next style?", List.of("Blues", "Contemporary", "Lyrical", "Funky"),
                Instant.parse("2026-01-15T22:08:20Z"), null, null, null, null)));
  }

  @Test
  void pollStartedWithoutEndsAtOmitsIt() {
    assertEquals(
        "{\"type\":\"POLL_STARTED\",\"sessionId\":\"" + S + "\",\"seq\":80,\"pollId\":412,\"question\":\"Q\",\"options\":[\"a\",\"b\"]}",
        codec.render(new SessionMessage.PollStarted(S, 80, 412, "Q", List.of("a", "b"), null, null, null, null, null)));
  }

  @Test
  void pollStartedSnapshotFormAddsVotesAndOwnVote() {
    assertEquals(
        "{\"type\":\"POLL_STARTED\",\"sessionId\":\"" + S + "\",\"seq\":80,\"pollId\":412,\"question\":\"Next style?\",\"options\":[\"Blues\",\"Contemporary\",\"Lyrical\",\"Funky\"],\"endsAt\":\"2026-01-15T22:08:20.000Z\",\"votes\":[3,1,0,5],\"totalVotes\":9,\"hasVoted\":true,\"votedOptionIndex\":3}",
        codec.render(
            new SessionMessage.PollStarted(
                S, 80, 412, "Next style?", List.of("Blues", "Contemporary", "Lyrical", "Funky"),
                Instant.parse("2026-01-15T22:08:20Z"), List.of(3, 1, 0, 5), 9, true, 3)));
    assertEquals(
        "{\"type\":\"POLL_STARTED\",\"sessionId\":\"" + S + "\",\"seq\":81,\"pollId\":412,\"question\":\"Q\",\"options\":[\"a\",\"b\"],\"votes\":[0,0],\"totalVotes\":0,\"hasVoted\":false}",
        codec.render(new SessionMessage.PollStarted(S, 81, 412, "Q", List.of("a", "b"), null, List.of(0, 0), 0, false, null)));
  }

  @Test
  void pollUpdateAndPollEnded() {
    assertEquals(
        "{\"type\":\"POLL_UPDATE\",\"sessionId\":\"" + S + "\",\"seq\":84,\"pollId\":412,\"votes\":[3,1,0,6],\"totalVotes\":10}",
        codec.render(new SessionMessage.PollUpdate(S, 84, 412, List.of(3, 1, 0, 6), 10)));
    assertEquals(
        "{\"type\":\"POLL_ENDED\",\"sessionId\":\"" + S + "\",\"seq\":90,\"pollId\":412,\"results\":[3,1,0,6],\"totalVotes\":10,\"winnerIndex\":3}",
        codec.render(new SessionMessage.PollEnded(S, 90, 412, List.of(3, 1, 0, 6), 10, 3)));
    assertEquals(
        "{\"type\":\"POLL_ENDED\",\"sessionId\":\"" + S + "\",\"seq\":91,\"pollId\":413,\"results\":[0,0],\"totalVotes\":0,\"winnerIndex\":-1}",
        codec.render(new SessionMessage.PollEnded(S, 91, 413, List.of(0, 0), 0, -1)));
  }

  @Test
  void announcementReceived() {
    assertEquals(
        "{\"type\":\"ANNOUNCEMENT_RECEIVED\",\"sessionId\":\"" + S + "\",\"seq\":95,\"message\":\"Last dance in 10 minutes!\",\"djName\":\"DJ Smooth\",\"timestamp\":\"2026-01-15T23:30:00.000Z\",\"endsAt\":\"2026-01-15T23:35:00.000Z\"}",
        codec.render(
            new SessionMessage.AnnouncementReceived(
                S, 95, "Last dance in 10 minutes!", "DJ Smooth", Instant.parse("2026-01-15T23:30:00Z"), Instant.parse("2026-01-15T23:35:00Z"))));
    assertEquals(
        "{\"type\":\"ANNOUNCEMENT_RECEIVED\",\"sessionId\":\"" + S + "\",\"seq\":96,\"message\":\"m\",\"djName\":\"D\",\"timestamp\":\"2026-01-15T23:30:00.000Z\"}",
        codec.render(new SessionMessage.AnnouncementReceived(S, 96, "m", "D", Instant.parse("2026-01-15T23:30:00Z"), null)));
  }

  @Test
  void sessionExpired() {
    assertEquals(
        "{\"type\":\"SESSION_EXPIRED\",\"sessionId\":\"" + S + "\",\"seq\":500,\"reason\":\"Session expired due to inactivity or age limit\"}",
        codec.render(new SessionMessage.SessionExpired(S, 500, "Session expired due to inactivity or age limit")));
  }

  @Test
  void ackNackErrorShapes() {
    assertEquals(
        "{\"type\":\"ACK\",\"messageId\":\"msg_1736972645123_a1b2c3d\",\"status\":\"ok\",\"timestamp\":\"2026-01-15T21:04:05.127Z\"}",
        codec.ack("msg_1736972645123_a1b2c3d", T));
    assertEquals(
        "{\"type\":\"NACK\",\"messageId\":\"msg_1736972645123_a1b2c3d\",\"error\":\"Rate limit exceeded (wait 5s)\",\"code\":\"rate_limited\",\"timestamp\":\"2026-01-15T21:04:05.127Z\"}",
        codec.nack("msg_1736972645123_a1b2c3d", SessionError.RATE_LIMIT_TRACK, T));
    assertEquals("{\"type\":\"ERROR\",\"code\":\"unknown_type\",\"message\":\"Unknown message type\"}", codec.error("Unknown message type", "unknown_type"));
    assertEquals(
        "{\"type\":\"ERROR\",\"code\":\"session_ended\",\"message\":\"Session has ended\"}", codec.error(SessionError.SESSION_HAS_ENDED));
  }

  @Test
  void pongAndSessionValid() {
    assertEquals("{\"type\":\"PONG\"}", codec.pong());
    assertEquals("{\"type\":\"SESSION_VALID\",\"sessionId\":\"" + S + "\",\"isValid\":true}", codec.sessionValid(S, true));
    assertEquals("{\"type\":\"SESSION_VALID\",\"sessionId\":\"x\",\"isValid\":false}", codec.sessionValid("x", false));
  }

  @Test
  void stringsAreEscaped() throws Exception {
    String json = codec.render(new SessionMessage.NowPlaying(S, 1, "DJ", TrackInfo.of("Say \"hi\" \\ <b>\n", "A\u2028")));
    JsonNode track = new ObjectMapper().readTree(json).get("track");
    assertEquals("Say \"hi\" \\ <b>\n", track.get("title").textValue());
    assertEquals("A\u2028", track.get("artist").textValue());
  }

  @Test
  void noNullAnywhereAndNoVersion() throws Exception {
    List<SessionMessage> all =
        List.of(
            new SessionMessage.SessionRegistered(S, 1, false, "D", true),
            new SessionMessage.SessionStarted(S, 2, "D", T),
            new SessionMessage.NowPlaying(S, 3, "D", TrackInfo.of("t", "a")),
            new SessionMessage.MetadataUpdated(S, 4, TrackInfo.of("t", "a")),
            new SessionMessage.LikeReceived(S, 5, TrackInfo.of("t", "a"), 1),
            new SessionMessage.PollStarted(S, 6, 1, "q", List.of("a", "b"), null, null, null, null, null),
            new SessionMessage.AnnouncementReceived(S, 7, "m", "D", T, null),
            new SessionMessage.SessionsList(null, List.of(new SessionSummary(S, true, "D", T, T, null, null, 0, true, null))));
    for (SessionMessage message : all) {
      String json = codec.render(message);
      assertFalse(json.contains("null"), json);
      assertFalse(json.contains("version"), json);
      new ObjectMapper().readTree(json); // well-formed
    }
  }
}
