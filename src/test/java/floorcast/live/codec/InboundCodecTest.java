package floorcast.live.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import floorcast.session.TrackInfo;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** protocol.md §1.2, §1.6, §2 and the schemas of §3–§5, rule by rule. */
class InboundCodecTest {
  private static final InboundCodec codec = new InboundCodec();
  private static final String SID = "pika_1736972400000_k3j9x2m1q";
  private static final String TRACK = "{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\"}";

  static InboundFrame.Valid valid(String json) {
    InboundFrame frame = codec.decode(json);
    if (frame instanceof InboundFrame.Invalid invalid) fail("expected valid, got " + invalid.text() + " for " + json);
    return (InboundFrame.Valid) frame;
  }

  static <T extends ClientMessage> T message(String json, Class<T> type) {
    return assertInstanceOf(type, valid(json).message());
  }

  static InboundFrame.Invalid invalid(String json) {
    return assertInstanceOf(InboundFrame.Invalid.class, codec.decode(json), json);
  }

  static void assertReason(String reason, String json) {
    InboundFrame.Invalid invalid = invalid(json);
    assertEquals("Invalid message: " + reason, invalid.text(), json);
    assertEquals("invalid_message", invalid.code());
  }

  static String str(int length) {
    return "x".repeat(length);
  }

  @Nested
  class Envelope {
    @Test
    void notJsonIsInvalidAnsweredWithError() {
      InboundFrame.Invalid invalid = invalid("{not json");
      assertEquals("Invalid message: not valid JSON", invalid.text());
      assertEquals("invalid_message", invalid.code());
      assertNull(invalid.messageId());
    }

    @Test
    void emptyTextIsNotAnObject() {
      assertReason("not a JSON object", "");
    }

    @Test
    void trailingGarbageIsNotJson() {
      assertReason("not valid JSON", "{\"type\":\"PING\"} x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"PING\"", "42", "null", "true"})
    void nonObjectsAreInvalid(String json) {
      assertReason("not a JSON object", json);
    }

    @Test
    void missingOrNonStringTypeIsInvalid() {
      assertReason("type must be a string", "{}");
      assertReason("type must be a string", "{\"type\":5}");
      assertReason("type must be a string", "{\"type\":null}");
    }

    @Test
    void missingTypeWithUsableMessageIdKeepsTheIdForNack() {
      assertEquals("m1", invalid("{\"messageId\":\"m1\"}").messageId());
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "ACK", "NACK", "ERROR", "NOW_PLAYING", "SESSION_REGISTERED", "SESSIONS_LIST", "PONG", "LIKE_RECEIVED",
          "POLL_STARTED", "SESSION_ENDED", "ping", "FOO", ""
        })
    void serverAndUnknownTypesAreUnknown(String type) {
      InboundFrame.Invalid invalid = invalid("{\"type\":\"" + type + "\",\"messageId\":\"m1\"}");
      assertEquals("Unknown message type", invalid.text());
      assertEquals("unknown_type", invalid.code());
      assertEquals("m1", invalid.messageId());
    }

    @Test
    void messageIdOf128CharsIsUsable() {
      assertEquals(str(128), valid("{\"type\":\"PING\",\"messageId\":\"" + str(128) + "\"}").messageId());
    }

    @Test
    void emptyMessageIdCountsAsAbsent() {
      assertNull(valid("{\"type\":\"PING\",\"messageId\":\"\"}").messageId());
      assertNull(valid("{\"type\":\"PING\",\"messageId\":null}").messageId());
    }

    @Test
    void longOrNonStringMessageIdIsInvalidAndUnusable() {
      for (String id : List.of("\"" + str(129) + "\"", "42", "true", "{}", "[\"a\"]")) {
        InboundFrame.Invalid invalid = invalid("{\"type\":\"PING\",\"messageId\":" + id + "}");
        assertEquals("Invalid message: messageId must be a string of 1-128 characters", invalid.text());
        assertNull(invalid.messageId(), "an unusable id is answered with ERROR");
      }
    }

    @Test
    void schemaViolationKeepsUsableMessageId() {
      InboundFrame.Invalid invalid = invalid("{\"type\":\"VALIDATE_SESSION\",\"messageId\":\"m7\"}");
      assertEquals("m7", invalid.messageId());
      assertEquals("Invalid message: sessionId is required", invalid.text());
    }

    @Test
    void clientIdIsTrimmedAnd1To256Chars() {
      assertEquals("c1", valid("{\"type\":\"PING\",\"clientId\":\"  c1 \\t\"}").clientId());
      assertEquals(str(256), valid("{\"type\":\"PING\",\"clientId\":\"" + str(256) + "\"}").clientId());
      assertReason("clientId must be 1-256 characters", "{\"type\":\"PING\",\"clientId\":\"" + str(257) + "\"}");
      assertReason("clientId must be 1-256 characters", "{\"type\":\"PING\",\"clientId\":\"   \"}");
      assertReason("clientId must be a string", "{\"type\":\"PING\",\"clientId\":12}");
      assertNull(valid("{\"type\":\"PING\"}").clientId());
    }

    @Test
    void clientIdOnSubscribeIs8To256Chars() {
      assertReason("clientId must be 8-256 characters", "{\"type\":\"SUBSCRIBE\",\"clientId\":\"1234567\"}");
      assertEquals("12345678", valid("{\"type\":\"SUBSCRIBE\",\"clientId\":\" 12345678 \"}").clientId());
    }

    @Test
    void versionNeverInvalidatesAndIsKeptOnlyUpTo32Chars() {
      assertEquals("0.3.0", valid("{\"type\":\"PING\",\"version\":\"0.3.0\"}").version());
      assertEquals(str(32), valid("{\"type\":\"PING\",\"version\":\"" + str(32) + "\"}").version());
      assertNull(valid("{\"type\":\"PING\",\"version\":\"" + str(33) + "\"}").version());
      assertNull(valid("{\"type\":\"PING\",\"version\":1.2}").version());
      assertNull(valid("{\"type\":\"PING\",\"version\":{\"a\":1}}").version());
    }

    @Test
    void unknownFieldsAreIgnored() {
      valid("{\"type\":\"PING\",\"foo\":[1,2,{\"x\":null}],\"seq\":5}");
    }

    @Test
    void deeplyNestedInputIsRefusedAsInvalid() {
      String deep = "[".repeat(500) + "]".repeat(500);
      assertReason("not valid JSON", "{\"type\":\"PING\",\"x\":" + deep + "}");
    }

    @Test
    void hugeNumbersAreOutOfRangeNotCrashes() {
      assertReason(
          "track.bpm must be 40-300",
          "{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + SID + "\",\"track\":{\"title\":\"t\",\"artist\":\"a\",\"bpm\":1e400}}");
      assertReason("lastSeq must be an integer >= 0", "{\"type\":\"SUBSCRIBE\",\"lastSeq\":1e400}");
      assertEquals(-1, message("{\"type\":\"END_POLL\",\"pollId\":123456789012345678901234567890}", ClientMessage.EndPoll.class).pollId());
    }

    @Test
    void nonAsciiJavaScriptWhiteSpaceIsTrimmed() {
      assertEquals("c1", valid("{\"type\":\"PING\",\"clientId\":\"\\u00a0c1\\u3000\\ufeff\"}").clientId());
    }
  }

  @Nested
  class RegisterSession {
    @Test
    void desktopRegistrationWithoutClientIdOrMessageId() {
      InboundFrame.Valid frame =
          valid(
              "{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + SID + "\",\"djName\":\"DJ Smooth\","
                  + "\"token\":\"pk_dj_3f9c0a7e5b2d4c1e8f6a9b0c7d2e4f1a\",\"version\":\"0.3.0\"}");
      ClientMessage.RegisterSession m = assertInstanceOf(ClientMessage.RegisterSession.class, frame.message());
      assertEquals(SID, m.sessionId());
      assertEquals("DJ Smooth", m.djName());
      assertEquals("pk_dj_3f9c0a7e5b2d4c1e8f6a9b0c7d2e4f1a", m.token());
      assertNull(frame.messageId());
      assertNull(frame.clientId());
    }

    @Test
    void everythingOptional() {
      ClientMessage.RegisterSession m = message("{\"type\":\"REGISTER_SESSION\"}", ClientMessage.RegisterSession.class);
      assertNull(m.sessionId());
      assertNull(m.djName());
      assertNull(m.token());
    }

    @Test
    void sessionIdIsTrimmedAnd8To64Chars() {
      assertEquals(
          "abcdefgh",
          message("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\" abcdefgh \"}", ClientMessage.RegisterSession.class)
              .sessionId());
      assertReason("sessionId must be 8-64 characters", "{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"abcdefg\"}");
      assertReason(
          "sessionId must be 8-64 characters", "{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + str(65) + "\"}");
      assertReason("sessionId must be a string", "{\"type\":\"REGISTER_SESSION\",\"sessionId\":12345678}");
    }

    @Test
    void djNameTrimmed1To100WithoutForbiddenCharacters() {
      assertEquals(
          "DJ X", message("{\"type\":\"REGISTER_SESSION\",\"djName\":\"  DJ X \"}", ClientMessage.RegisterSession.class).djName());
      assertEquals(
          str(100),
          message("{\"type\":\"REGISTER_SESSION\",\"djName\":\"" + str(100) + "\"}", ClientMessage.RegisterSession.class)
              .djName());
      assertReason("djName must be 1-100 characters", "{\"type\":\"REGISTER_SESSION\",\"djName\":\"" + str(101) + "\"}");
      assertReason("djName must be 1-100 characters", "{\"type\":\"REGISTER_SESSION\",\"djName\":\" \"}");
      for (String bad : List.of("<b>", "a>b", "say \\\"hi\\\"", "O'Neil")) {
        assertReason(
            "djName must not contain < > \" or '", "{\"type\":\"REGISTER_SESSION\",\"djName\":\"" + bad + "\"}");
      }
    }

    @Test
    void tokenEmptyOr10To2000Chars() {
      assertNull(
          message("{\"type\":\"REGISTER_SESSION\",\"token\":\"\"}", ClientMessage.RegisterSession.class).token());
      assertEquals(
          str(10),
          message("{\"type\":\"REGISTER_SESSION\",\"token\":\"" + str(10) + "\"}", ClientMessage.RegisterSession.class)
              .token());
      message("{\"type\":\"REGISTER_SESSION\",\"token\":\"" + str(2000) + "\"}", ClientMessage.RegisterSession.class);
      assertReason("token must be empty or 10-2000 characters", "{\"type\":\"REGISTER_SESSION\",\"token\":\"" + str(9) + "\"}");
      assertReason(
          "token must be empty or 10-2000 characters", "{\"type\":\"REGISTER_SESSION\",\"token\":\"" + str(2001) + "\"}");
      assertReason("token must be a string", "{\"type\":\"REGISTER_SESSION\",\"token\":1234567890123}");
    }
  }

  @Nested
  class TrackInfoRules {
    String broadcast(String track) {
      return "{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + SID + "\",\"track\":" + track + "}";
    }

    @Test
    void fullTrackIsParsedAndExtraFieldsIgnored() {
      ClientMessage.BroadcastTrack m =
          message(
              broadcast(
                  "{\"title\":\" Queen of Loneliness \",\"artist\":\"Delta Dreambox\",\"bpm\":96,\"key\":\"Am\","
                      + "\"energy\":62,\"danceability\":78,\"brightness\":40,\"acousticness\":12,\"groove\":70,"
                      + "\"album\":\"x\"}"),
              ClientMessage.BroadcastTrack.class);
      assertEquals(SID, m.sessionId());
      assertEquals(
          new TrackInfo("Queen of Loneliness", "Delta Dreambox", 96.0, "Am", 62.0, 78.0, 40.0, 12.0, 70.0), m.track());
    }

    @Test
    void titleAndArtistRequiredTrimmed1To500() {
      assertReason("track is required", "{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + SID + "\"}");
      assertReason("track must be an object", broadcast("\"Sway\""));
      assertReason("track.title is required", broadcast("{\"artist\":\"a\"}"));
      assertReason("track.artist is required", broadcast("{\"title\":\"t\"}"));
      assertReason("track.title must be 1-500 characters", broadcast("{\"title\":\"  \",\"artist\":\"a\"}"));
      assertReason("track.artist must be 1-500 characters", broadcast("{\"title\":\"t\",\"artist\":\"" + str(501) + "\"}"));
      assertReason("track.title must be a string", broadcast("{\"title\":5,\"artist\":\"a\"}"));
      message(broadcast("{\"title\":\"" + str(500) + "\",\"artist\":\"" + str(500) + "\"}"), ClientMessage.BroadcastTrack.class);
    }

    @Test
    void bpm40To300InclusiveFractionsAllowed() {
      assertEquals(40.0, message(broadcast("{\"title\":\"t\",\"artist\":\"a\",\"bpm\":40}"), ClientMessage.BroadcastTrack.class).track().bpm());
      assertEquals(300.0, message(broadcast("{\"title\":\"t\",\"artist\":\"a\",\"bpm\":300}"), ClientMessage.BroadcastTrack.class).track().bpm());
      assertEquals(96.4, message(broadcast("{\"title\":\"t\",\"artist\":\"a\",\"bpm\":96.4}"), ClientMessage.BroadcastTrack.class).track().bpm());
      assertReason("track.bpm must be 40-300", broadcast("{\"title\":\"t\",\"artist\":\"a\",\"bpm\":39.9}"));
      assertReason("track.bpm must be 40-300", broadcast("{\"title\":\"t\",\"artist\":\"a\",\"bpm\":300.1}"));
      assertReason("track.bpm must be a number", broadcast("{\"title\":\"t\",\"artist\":\"a\",\"bpm\":\"96\"}"));
      assertNull(message(broadcast("{\"title\":\"t\",\"artist\":\"a\",\"bpm\":null}"), ClientMessage.BroadcastTrack.class).track().bpm());
    }

    @Test
    void keyAtMost10Chars() {
      assertEquals("8A", message(broadcast("{\"title\":\"t\",\"artist\":\"a\",\"key\":\"8A\"}"), ClientMessage.BroadcastTrack.class).track().key());
      message(broadcast("{\"title\":\"t\",\"artist\":\"a\",\"key\":\"" + str(10) + "\"}"), ClientMessage.BroadcastTrack.class);
      assertReason("track.key must be at most 10 characters", broadcast("{\"title\":\"t\",\"artist\":\"a\",\"key\":\"" + str(11) + "\"}"));
      assertReason("track.key must be a string", broadcast("{\"title\":\"t\",\"artist\":\"a\",\"key\":8}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"energy", "danceability", "brightness", "acousticness", "groove"})
    void audioFeatures0To100Inclusive(String field) {
      message(broadcast("{\"title\":\"t\",\"artist\":\"a\",\"" + field + "\":0}"), ClientMessage.BroadcastTrack.class);
      message(broadcast("{\"title\":\"t\",\"artist\":\"a\",\"" + field + "\":100}"), ClientMessage.BroadcastTrack.class);
      assertReason("track." + field + " must be 0-100", broadcast("{\"title\":\"t\",\"artist\":\"a\",\"" + field + "\":-0.5}"));
      assertReason("track." + field + " must be 0-100", broadcast("{\"title\":\"t\",\"artist\":\"a\",\"" + field + "\":100.01}"));
      assertReason("track." + field + " must be a number", broadcast("{\"title\":\"t\",\"artist\":\"a\",\"" + field + "\":true}"));
    }
  }

  @Nested
  class DjCommands {
    @Test
    void broadcastTrackNeedsSessionId8To64() {
      assertReason("sessionId is required", "{\"type\":\"BROADCAST_TRACK\",\"track\":" + TRACK + "}");
      assertReason("sessionId must be 8-64 characters", "{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"short\",\"track\":" + TRACK + "}");
    }

    @Test
    void metadataUpdated() {
      ClientMessage.UpdateMetadata m =
          message(
              "{\"type\":\"METADATA_UPDATED\",\"sessionId\":\"" + SID + "\",\"track\":{\"title\":\"Queen of Loneliness\","
                  + "\"artist\":\"Delta Dreambox\",\"bpm\":96.4,\"key\":\"Am\"},\"messageId\":\"msg_1736972700456_z9y8x7w\"}",
              ClientMessage.UpdateMetadata.class);
      assertEquals(96.4, m.track().bpm());
      assertReason("sessionId is required", "{\"type\":\"METADATA_UPDATED\",\"track\":" + TRACK + "}");
      assertReason("track is required", "{\"type\":\"METADATA_UPDATED\",\"sessionId\":\"" + SID + "\"}");
    }

    @Test
    void trackStoppedAndEndSessionNeedSessionId() {
      assertEquals(SID, message("{\"type\":\"TRACK_STOPPED\",\"sessionId\":\"" + SID + "\"}", ClientMessage.StopTrack.class).sessionId());
      assertEquals(SID, message("{\"type\":\"END_SESSION\",\"sessionId\":\" " + SID + " \"}", ClientMessage.EndSession.class).sessionId());
      assertReason("sessionId is required", "{\"type\":\"TRACK_STOPPED\"}");
      assertReason("sessionId must be 8-64 characters", "{\"type\":\"END_SESSION\",\"sessionId\":\"1234567\"}");
    }

    @Test
    void announcementMessage1To200Duration60To3600PushIgnored() {
      ClientMessage.SendAnnouncement m =
          message(
              "{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"" + SID + "\",\"message\":\" Last dance in 10 minutes! \","
                  + "\"durationSeconds\":300,\"push\":false}",
              ClientMessage.SendAnnouncement.class);
      assertEquals("Last dance in 10 minutes!", m.message());
      assertEquals(300, m.durationSeconds());
      assertNull(message("{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\",\"message\":\"hi\",\"push\":true}", ClientMessage.SendAnnouncement.class).durationSeconds());
      message("{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\",\"message\":\"hi\",\"push\":null}", ClientMessage.SendAnnouncement.class);
      assertReason("push must be a boolean", "{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\",\"message\":\"hi\",\"push\":\"yes\"}");
      assertReason("push must be a boolean", "{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\",\"message\":\"hi\",\"push\":1}");
      message("{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\",\"message\":\"" + str(200) + "\",\"durationSeconds\":60}", ClientMessage.SendAnnouncement.class);
      message("{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\",\"message\":\"m\",\"durationSeconds\":3600}", ClientMessage.SendAnnouncement.class);
      assertReason("message is required", "{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\"}");
      assertReason("message must be 1-200 characters", "{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\",\"message\":\" \"}");
      assertReason("message must be 1-200 characters", "{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\",\"message\":\"" + str(201) + "\"}");
      assertReason("durationSeconds must be 60-3600", "{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\",\"message\":\"m\",\"durationSeconds\":59}");
      assertReason("durationSeconds must be 60-3600", "{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\",\"message\":\"m\",\"durationSeconds\":3601}");
      assertReason("durationSeconds must be a number", "{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"s\",\"message\":\"m\",\"durationSeconds\":\"300\"}");
    }

    @Test
    void sessionIdOf1To64CharsOnAnnouncementsPollsTempoAndReactions() {
      assertEquals("s", message("{\"type\":\"CANCEL_ANNOUNCEMENT\",\"sessionId\":\" s \"}", ClientMessage.CancelAnnouncement.class).sessionId());
      assertReason("sessionId is required", "{\"type\":\"CANCEL_ANNOUNCEMENT\"}");
      assertReason("sessionId must be 1-64 characters", "{\"type\":\"CANCEL_ANNOUNCEMENT\",\"sessionId\":\" \"}");
      assertReason("sessionId must be 1-64 characters", "{\"type\":\"SEND_TEMPO_REQUEST\",\"sessionId\":\"" + str(65) + "\",\"preference\":\"faster\"}");
      assertReason("sessionId is required", "{\"type\":\"SEND_REACTION\",\"reaction\":\"thank_you\"}");
      assertReason("sessionId is required", "{\"type\":\"START_POLL\",\"question\":\"q\",\"options\":[\"a\",\"b\"]}");
    }

    @Test
    void startPoll() {
      ClientMessage.StartPoll m =
          message(
              "{\"type\":\"START_POLL\",\"sessionId\":\"" + SID + "\",\"question\":\" Next style? \","
                  + "\"options\":[\"Blues\",\" Contemporary \",\"Lyrical\",\"Funky\"],\"durationSeconds\":120}",
              ClientMessage.StartPoll.class);
      assertEquals("Next style?", m.question());
      assertEquals(List.of("Blues", "Contemporary", "Lyrical", "Funky"), m.options());
      assertEquals(120, m.durationSeconds());
    }

    @Test
    void pollQuestion1To500NotWhiteSpaceOnly() {
      String head = "{\"type\":\"START_POLL\",\"sessionId\":\"s\",\"options\":[\"a\",\"b\"],\"question\":";
      message(head + "\"" + str(500) + "\"}", ClientMessage.StartPoll.class);
      assertReason("question must be 1-500 characters", head + "\"" + str(501) + "\"}");
      assertReason("question must be 1-500 characters", head + "\" \\n \"}");
      assertReason("question is required", "{\"type\":\"START_POLL\",\"sessionId\":\"s\",\"options\":[\"a\",\"b\"]}");
    }

    @Test
    void pollMustHave2To10Options() {
      String head = "{\"type\":\"START_POLL\",\"sessionId\":\"s\",\"question\":\"q\"";
      assertReason("Poll must have 2-10 options", head + "}");
      assertReason("Poll must have 2-10 options", head + ",\"options\":[\"a\"]}");
      assertReason("Poll must have 2-10 options", head + ",\"options\":\"a,b\"}");
      assertReason("Poll must have 2-10 options", head + ",\"options\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]}");
      message(head + ",\"options\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\"]}", ClientMessage.StartPoll.class);
    }

    @Test
    void pollOptionsMustBe1To100Chars() {
      String head = "{\"type\":\"START_POLL\",\"sessionId\":\"s\",\"question\":\"q\",\"options\":";
      assertReason("Poll options must be 1-100 characters", head + "[\"a\",\"  \"]}");
      assertReason("Poll options must be 1-100 characters", head + "[\"a\",\"" + str(101) + "\"]}");
      assertReason("Poll options must be 1-100 characters", head + "[\"a\",7]}");
      message(head + "[\"a\",\"" + str(100) + "\"]}", ClientMessage.StartPoll.class);
    }

    @Test
    void pollDuration30To300() {
      String head = "{\"type\":\"START_POLL\",\"sessionId\":\"s\",\"question\":\"q\",\"options\":[\"a\",\"b\"],\"durationSeconds\":";
      assertEquals(30, message(head + "30}", ClientMessage.StartPoll.class).durationSeconds());
      assertEquals(300, message(head + "300}", ClientMessage.StartPoll.class).durationSeconds());
      assertReason("durationSeconds must be 30-300", head + "29}");
      assertReason("durationSeconds must be 30-300", head + "301}");
      assertReason("durationSeconds must be a number", head + "\"60\"}");
    }

    @Test
    void endPollPollIdIsAJsonNumber() {
      assertEquals(412, message("{\"type\":\"END_POLL\",\"pollId\":412,\"messageId\":\"m\"}", ClientMessage.EndPoll.class).pollId());
      assertEquals(412, message("{\"type\":\"END_POLL\",\"pollId\":412.0}", ClientMessage.EndPoll.class).pollId());
      assertEquals(9007199254740991L, message("{\"type\":\"END_POLL\",\"pollId\":9007199254740991}", ClientMessage.EndPoll.class).pollId());
      // any other number simply matches no poll (§2)
      assertEquals(-1, message("{\"type\":\"END_POLL\",\"pollId\":4.5}", ClientMessage.EndPoll.class).pollId());
      assertEquals(-1, message("{\"type\":\"END_POLL\",\"pollId\":0}", ClientMessage.EndPoll.class).pollId());
      assertEquals(-1, message("{\"type\":\"END_POLL\",\"pollId\":-3}", ClientMessage.EndPoll.class).pollId());
      assertEquals(-1, message("{\"type\":\"END_POLL\",\"pollId\":9007199254740993}", ClientMessage.EndPoll.class).pollId());
      assertEquals(-1, message("{\"type\":\"END_POLL\",\"pollId\":1e300}", ClientMessage.EndPoll.class).pollId());
      assertReason("pollId must be a number", "{\"type\":\"END_POLL\",\"pollId\":\"412\"}");
      assertReason("pollId is required", "{\"type\":\"END_POLL\"}");
    }

    @Test
    void cancelPollNeedsPollIdOrSessionId() {
      ClientMessage.CancelPoll both =
          message("{\"type\":\"CANCEL_POLL\",\"pollId\":412,\"sessionId\":\"" + SID + "\"}", ClientMessage.CancelPoll.class);
      assertEquals(412L, both.pollId());
      assertEquals(SID, both.sessionId());
      ClientMessage.CancelPoll onlySession =
          message("{\"type\":\"CANCEL_POLL\",\"sessionId\":\"" + SID + "\"}", ClientMessage.CancelPoll.class);
      assertNull(onlySession.pollId());
      assertNull(message("{\"type\":\"CANCEL_POLL\",\"pollId\":7}", ClientMessage.CancelPoll.class).sessionId());
      assertEquals(-1L, message("{\"type\":\"CANCEL_POLL\",\"pollId\":7.5}", ClientMessage.CancelPoll.class).pollId());
      assertReason("pollId or sessionId is required", "{\"type\":\"CANCEL_POLL\"}");
      assertReason("pollId or sessionId is required", "{\"type\":\"CANCEL_POLL\",\"sessionId\":\"  \"}");
      assertReason("sessionId must be at most 64 characters", "{\"type\":\"CANCEL_POLL\",\"sessionId\":\"" + str(65) + "\"}");
      assertReason("pollId must be a number", "{\"type\":\"CANCEL_POLL\",\"pollId\":\"7\",\"sessionId\":\"" + SID + "\"}");
    }
  }

  @Nested
  class DancerMessages {
    @Test
    void subscribe() {
      InboundFrame.Valid frame =
          valid(
              "{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + SID + "\",\"clientId\":\"client_1736970000000_x7k2p9q4r\","
                  + "\"lastSeq\":1804,\"messageId\":\"msg_1\"}");
      ClientMessage.Subscribe m = assertInstanceOf(ClientMessage.Subscribe.class, frame.message());
      assertEquals(SID, m.sessionId());
      assertEquals(1804L, m.lastSeq());
      assertEquals("client_1736970000000_x7k2p9q4r", frame.clientId());
      assertEquals("msg_1", frame.messageId());
      assertNull(message("{\"type\":\"SUBSCRIBE\"}", ClientMessage.Subscribe.class).sessionId());
    }

    @Test
    void subscribeSessionIdIs8To64AndLastSeqAnIntegerAtLeast0() {
      assertReason("sessionId must be 8-64 characters", "{\"type\":\"SUBSCRIBE\",\"sessionId\":\"abc\"}");
      assertEquals(0L, message("{\"type\":\"SUBSCRIBE\",\"lastSeq\":0}", ClientMessage.Subscribe.class).lastSeq());
      assertReason("lastSeq must be an integer >= 0", "{\"type\":\"SUBSCRIBE\",\"lastSeq\":-1}");
      assertReason("lastSeq must be an integer >= 0", "{\"type\":\"SUBSCRIBE\",\"lastSeq\":1.5}");
      assertReason("lastSeq must be an integer >= 0", "{\"type\":\"SUBSCRIBE\",\"lastSeq\":\"5\"}");
    }

    @Test
    void getSessions() {
      assertEquals("client_1", valid("{\"type\":\"GET_SESSIONS\",\"clientId\":\"client_1\"}").clientId());
    }

    @Test
    void sendLikeAndRemoveLikeCarryPayloadTrack() {
      ClientMessage.SendLike like =
          message(
              "{\"type\":\"SEND_LIKE\",\"sessionId\":\"" + SID + "\",\"clientId\":\"c\",\"payload\":{\"track\":"
                  + "{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96}}}",
              ClientMessage.SendLike.class);
      assertEquals(new TrackInfo("Queen of Loneliness", "Delta Dreambox", 96.0, null, null, null, null, null, null), like.track());
      ClientMessage.RemoveLike remove =
          message("{\"type\":\"REMOVE_LIKE\",\"payload\":{\"track\":" + TRACK + "}}", ClientMessage.RemoveLike.class);
      assertNull(remove.sessionId());
      assertReason("payload must be an object", "{\"type\":\"SEND_LIKE\"}");
      assertReason("payload must be an object", "{\"type\":\"REMOVE_LIKE\",\"payload\":[]}");
      assertReason("payload.track is required", "{\"type\":\"SEND_LIKE\",\"payload\":{}}");
      assertReason("payload.track.title is required", "{\"type\":\"SEND_LIKE\",\"payload\":{\"track\":{\"artist\":\"a\"}}}");
    }

    @Test
    void optionalSessionIdUpTo64EmptyIsAbsent() {
      assertNull(message("{\"type\":\"SEND_LIKE\",\"sessionId\":\"\",\"payload\":{\"track\":" + TRACK + "}}", ClientMessage.SendLike.class).sessionId());
      assertNull(message("{\"type\":\"SEND_LIKE\",\"sessionId\":\"  \",\"payload\":{\"track\":" + TRACK + "}}", ClientMessage.SendLike.class).sessionId());
      assertEquals("s", message("{\"type\":\"SEND_LIKE\",\"sessionId\":\" s \",\"payload\":{\"track\":" + TRACK + "}}", ClientMessage.SendLike.class).sessionId());
      assertReason("sessionId must be at most 64 characters", "{\"type\":\"REMOVE_LIKE\",\"sessionId\":\"" + str(65) + "\",\"payload\":{\"track\":" + TRACK + "}}");
      assertReason("sessionId must be a string", "{\"type\":\"SEND_BULK_LIKE\",\"sessionId\":5,\"payload\":{\"tracks\":[]}}");
    }

    @Test
    void bulkLikeKeepsFirst100ButValidatesEveryTrack() {
      StringBuilder tracks = new StringBuilder();
      for (int i = 0; i < 120; i++) {
        if (i > 0) tracks.append(',');
        tracks.append("{\"title\":\"t").append(i).append("\",\"artist\":\"a\"}");
      }
      ClientMessage.SendBulkLike m =
          message("{\"type\":\"SEND_BULK_LIKE\",\"payload\":{\"tracks\":[" + tracks + "]}}", ClientMessage.SendBulkLike.class);
      assertEquals(100, m.tracks().size());
      assertEquals("t0", m.tracks().get(0).title());
      assertEquals("t99", m.tracks().get(99).title());
      assertReason(
          "payload.tracks[120].artist is required",
          "{\"type\":\"SEND_BULK_LIKE\",\"payload\":{\"tracks\":[" + tracks + ",{\"title\":\"x\"}]}}");
      assertReason("payload.tracks must be an array", "{\"type\":\"SEND_BULK_LIKE\",\"payload\":{\"tracks\":{}}}");
      assertEquals(0, message("{\"type\":\"SEND_BULK_LIKE\",\"payload\":{\"tracks\":[]}}", ClientMessage.SendBulkLike.class).tracks().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"faster", "slower", "perfect", "clear"})
    void tempoPreferences(String preference) {
      assertEquals(
          preference,
          message("{\"type\":\"SEND_TEMPO_REQUEST\",\"sessionId\":\"" + SID + "\",\"preference\":\"" + preference + "\"}",
                  ClientMessage.SendTempoRequest.class)
              .preference());
    }

    @Test
    void otherTempoPreferencesAreInvalid() {
      for (String bad : List.of("\"FASTER\"", "\"\"", "1", "null")) {
        assertReason(
            "preference must be faster, slower, perfect or clear",
            "{\"type\":\"SEND_TEMPO_REQUEST\",\"sessionId\":\"s\",\"preference\":" + bad + "}");
      }
    }

    @Test
    void voteOnPoll() {
      InboundFrame.Valid frame =
          valid("{\"type\":\"VOTE_ON_POLL\",\"pollId\":412,\"optionIndex\":2,\"clientId\":\"client_1\",\"messageId\":\"msg_2\"}");
      ClientMessage.VoteOnPoll m = assertInstanceOf(ClientMessage.VoteOnPoll.class, frame.message());
      assertEquals(412, m.pollId());
      assertEquals(2.0, m.optionIndex());
      assertEquals(1.5, message("{\"type\":\"VOTE_ON_POLL\",\"pollId\":1,\"optionIndex\":1.5}", ClientMessage.VoteOnPoll.class).optionIndex());
      assertReason("optionIndex must be a number", "{\"type\":\"VOTE_ON_POLL\",\"pollId\":1,\"optionIndex\":\"1\"}");
      assertReason("optionIndex is required", "{\"type\":\"VOTE_ON_POLL\",\"pollId\":1}");
      assertReason("pollId must be a number", "{\"type\":\"VOTE_ON_POLL\",\"pollId\":[1],\"optionIndex\":1}");
    }

    @Test
    void reactionMustBeThankYou() {
      assertEquals(SID, message("{\"type\":\"SEND_REACTION\",\"sessionId\":\"" + SID + "\",\"reaction\":\"thank_you\"}", ClientMessage.SendReaction.class).sessionId());
      assertReason("reaction must be thank_you", "{\"type\":\"SEND_REACTION\",\"sessionId\":\"s\",\"reaction\":\"fire\"}");
      assertReason("reaction must be thank_you", "{\"type\":\"SEND_REACTION\",\"sessionId\":\"s\"}");
    }
  }

  @Nested
  class Utility {
    @Test
    void ping() {
      message("{\"type\":\"PING\"}", ClientMessage.Ping.class);
      assertEquals("p1", valid("{\"type\":\"PING\",\"messageId\":\"p1\"}").messageId());
    }

    @Test
    void validateSessionNeeds8To64() {
      assertEquals(SID, message("{\"type\":\"VALIDATE_SESSION\",\"sessionId\":\"" + SID + "\"}", ClientMessage.ValidateSession.class).sessionId());
      assertReason("sessionId must be 8-64 characters", "{\"type\":\"VALIDATE_SESSION\",\"sessionId\":\"1234567\"}");
      assertReason("sessionId is required", "{\"type\":\"VALIDATE_SESSION\"}");
    }
  }
}
