package floorcast.live.e2e;

import static floorcast.testing.WebSocketTestClient.last;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.ops.FloorcastNode;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import floorcast.testing.WebSocketTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of hostile frames from many connections (protocol.md §1.2, §1.6, §17): every frame is answered with
 * ERROR or NACK, or the connection gets the documented close (1008 after more than 20 invalid in 60 s, 1009 over
 * 10,240 characters); the node never crashes and a live session on it keeps serving its dancer. Seeded: set
 * {@code -Dfuzz.seed=<n>} to replay a failure.
 */
class FuzzedInputIT {
  private static final long SEED = Long.getLong("fuzz.seed", 20261123L);
  private static final int CONNECTIONS = 150;
  private static final String SESSION = "pika_1736972400000_fuzzlive";
  private static FloorcastNode node;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.single(TestDatabase.fresh(), E2eNodes.overrides(Map.of()));
    port = node.httpPort();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static final String[] GARBAGE = {
    "", "{", "}", "[1,2", "null", "42", "\"PING\"", "[]", "{\"type\":}", "{'type':'PING'}", "{\"type\":\"PING\",}",
    "\u0000", "{\"type\":\"PING\"}{\"type\":\"PING\"}", "NaN", "{\"type\":\"PING\" \"x\":1}", "\uFEFF{\"type\":1}"
  };
  private static final String[] TYPES = {
    "ACK", "NACK", "NOW_PLAYING", "SESSION_STARTED", "ping", "Ping", "P\u0130NG", "PING\u200B", "\u202EGNIP",
    "'; DROP TABLE sessions; --", "\" OR 1=1 --", "${jndi:ldap://x}", "<script>alert(1)</script>", "\\u0000", "💃"
  };
  private static final String[] HOSTILE_STRINGS = {
    "'; DROP TABLE dj_users; --", "\\\"},{\\\"type\\\":\\\"END_SESSION\\\"", "<img src=x onerror=alert(1)>",
    "\\ud800", "\\udfff\\ud800", "\\u0000", "💃🕺", "\\u202e", "%00", "../../etc/passwd"
  };

  /** Frames that are never valid messages; each must get one ERROR or NACK (or a close). */
  private static final List<Function<Random, String>> INVALID =
      List.of(
          r -> GARBAGE[r.nextInt(GARBAGE.length)],
          r -> randomText(r, 1 + r.nextInt(200)),
          r -> "{\"type\":\"" + TYPES[r.nextInt(TYPES.length)] + "\"}",
          r -> "{\"type\":" + List.of("5", "null", "true", "[\"PING\"]", "{\"a\":1}", "1e400", "-0").get(r.nextInt(7)) + "}",
          r -> "[".repeat(2000 + r.nextInt(3000)) + "]".repeat(10), // deeply nested, unterminated
          r -> "{\"type\":" + "[".repeat(1500) + "]".repeat(1500) + "}", // deeply nested and complete
          r -> "{\"type\":\"VALIDATE_SESSION\",\"sessionId\":\"" + shortened(HOSTILE_STRINGS[r.nextInt(HOSTILE_STRINGS.length)]) + "\"}",
          r -> "{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"pika_fuzz_" + r.nextInt(1000) + "\",\"djName\":\"" + HOSTILE_STRINGS[0] + "\"}",
          r -> "{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + SESSION + "\",\"track\":" + mutatedTrack(r) + ",\"messageId\":\"m" + r.nextInt(1_000_000) + "\"}",
          r -> "{\"type\":\"START_POLL\",\"sessionId\":\"" + SESSION + "\",\"question\":\"Q\",\"options\":" + List.of("[\"one\"]", "[]", "\"a,b\"", "[1,2]", "[\"\",\"b\"]", "[\"" + "o".repeat(101) + "\",\"b\"]").get(r.nextInt(6)) + "}",
          r -> "{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"" + SESSION + "\",\"message\":" + List.of("\"\"", "\"   \"", "5", "null", "\"" + "x".repeat(201) + "\"").get(r.nextInt(5)) + "}",
          r -> "{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + SESSION + "\",\"clientId\":" + List.of("42", "\"short\"", "\"" + "c".repeat(257) + "\"", "[\"client_123456789\"]").get(r.nextInt(4)) + "}",
          r -> "{\"type\":\"SEND_TEMPO_REQUEST\",\"sessionId\":\"" + SESSION + "\",\"clientId\":\"client_fuzz_1\",\"preference\":\"" + List.of("FASTER", "fast", "", "clear ", "1e400").get(r.nextInt(5)) + "\"}",
          r -> "{\"type\":\"SEND_REACTION\",\"sessionId\":\"" + SESSION + "\",\"reaction\":\"" + List.of("heart", "THANK_YOU", "", "thank_you\\u0000").get(r.nextInt(4)) + "\"}",
          r -> "{\"type\":\"PING\",\"messageId\":" + List.of("5", "true", "{}", "\"" + "m".repeat(129) + "\"").get(r.nextInt(4)) + "}",
          r -> "{\"type\":\"SEND_LIKE\",\"payload\":{\"track\":" + mutatedTrack(r) + "},\"messageId\":\"like" + r.nextInt(1000) + "\"}",
          r -> "{\"type\":\"VOTE_ON_POLL\",\"pollId\":1e400,\"optionIndex\":-1,\"clientId\":\"client_fuzz_2\"}",
          r -> "{\"type\":\"" + "X".repeat(5000 + r.nextInt(5000)) + "\"}");

  /** Below the 8-character minimum of a sessionId, so the message stays invalid. */
  private static String shortened(String s) {
    return s.substring(0, Math.min(4, s.length()));
  }

  private static String mutatedTrack(Random r) {
    return List.of(
            "{\"title\":\"T\"}",
            "{\"title\":\"T\",\"artist\":5}",
            "{\"title\":\"\",\"artist\":\"A\"}",
            "{\"title\":\"T\",\"artist\":\"A\",\"bpm\":1e400}",
            "{\"title\":\"T\",\"artist\":\"A\",\"bpm\":\"96\"}",
            "{\"title\":\"T\",\"artist\":\"A\",\"bpm\":39.99}",
            "{\"title\":\"T\",\"artist\":\"A\",\"key\":\"" + "K".repeat(11) + "\"}",
            "{\"title\":\"T\",\"artist\":\"A\",\"energy\":100.0001}",
            "{\"title\":\"" + "t".repeat(501) + "\",\"artist\":\"A\"}",
            "\"Queen of Loneliness\"",
            "null")
        .get(r.nextInt(11));
  }

  private static String randomText(Random r, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = r.nextInt(4);
      if (kind == 0) b.append((char) (32 + r.nextInt(95)));
      else if (kind == 1) b.append("{}[]\":,\\".charAt(r.nextInt(8)));
      else if (kind == 2) {
        int cp = 0x80 + r.nextInt(0x2FF80);
        b.appendCodePoint(Character.isSurrogate((char) cp) && cp < 0x10000 ? 0xFFFD : cp); // text frames are UTF-8
      }
      else b.append("\\ud").append(Integer.toHexString(0x800 + r.nextInt(0x800))); // escaped lone surrogates
    }
    return b.toString();
  }

  @Test
  void hostileFramesAreAnsweredOrClosedAndTheLiveSessionKeepsServing() throws Exception {
    WebSocketTestClient dj = WebSocketTestClient.connect(port);
    dj.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + SESSION + "\",\"djName\":\"DJ Fuzz\",\"messageId\":\"r\"}");
    dj.until("messageId", "r");
    WebSocketTestClient dancer = WebSocketTestClient.connect(port);
    dancer.send("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + SESSION + "\",\"clientId\":\"client_1736970000000_fuzzdancer\",\"messageId\":\"s\"}");
    dancer.until("messageId", "s");

    Random random = new Random(SEED);
    int frames = 0;
    int closes1008 = 0;
    int closes1009 = 0;
    for (int c = 0; c < CONNECTIONS; c++) {
      WebSocketTestClient fuzzer = WebSocketTestClient.connect(port);
      int invalidReplies = 0;
      for (int i = 0; i < 40; i++) {
        boolean oversize = random.nextInt(50) == 0;
        String frame =
            oversize
                ? "{\"type\":\"PING\",\"pad\":\"" + "x".repeat(10_241) + "\"}"
                : INVALID.get(random.nextInt(INVALID.size())).apply(random);
        String context = "seed " + SEED + ", connection " + c + ", frame " + i + ": " + abbreviate(frame);
        if (random.nextInt(5) == 0) {
          fuzzer.sendBinary(frame.getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
        } else {
          fuzzer.send(frame);
        }
        frames++;
        if (oversize || frame.length() > 10_240) {
          WebSocketTestClient.Closed closed = fuzzer.awaitClose();
          assertEquals(new WebSocketTestClient.Closed(1009, "Message too large"), closed, context);
          closes1009++;
          break;
        }
        WebSocketTestClient.Received reply = fuzzer.inbox.poll(30, TimeUnit.SECONDS);
        assertTrue(reply != null, "no answer: " + context);
        JsonNode answer = WebSocketTestClient.JSON.readTree(reply.text());
        WireShapes.check(answer);
        String type = answer.get("type").asText();
        assertTrue(type.equals("ERROR") || type.equals("NACK"), answer + " for " + context);
        String code = answer.get("code").asText();
        assertTrue(!code.equals("internal_error"), "bad input is never an internal error: " + answer + " for " + context);
        if (code.equals("invalid_message") || code.equals("unknown_type")) invalidReplies++;
        if (invalidReplies > 20) {
          assertEquals(new WebSocketTestClient.Closed(1008, "Too many invalid messages"), fuzzer.awaitClose(), context);
          closes1008++;
          break;
        }
      }
      if (!fuzzer.closed.isDone()) fuzzer.close();
    }
    System.out.println("fuzz seed " + SEED + ": " + frames + " frames, " + closes1008 + " closes 1008, " + closes1009 + " closes 1009");
    assertTrue(frames >= 2000, "enough frames: " + frames);
    assertTrue(closes1008 > 0 && closes1009 > 0, "both documented closes were exercised");

    // a frame of exactly 10,240 UTF-16 code units is still processed (§1.2); one more closes with 1009
    WebSocketTestClient edge = WebSocketTestClient.connect(port);
    String prefix = "{\"type\":\"PING\",\"pad\":\"";
    String atLimit = prefix + "😀".repeat((10_240 - prefix.length() - 2) / 2) + "\"}";
    atLimit = atLimit.length() < 10_240 ? atLimit.replace("\"pad\":\"", "\"pad\":\"x") : atLimit;
    assertEquals(10_240, atLimit.length());
    edge.send(atLimit);
    assertEquals("{\"type\":\"PONG\"}", edge.nextText());
    edge.send(atLimit.replace("\"pad\":\"", "\"pad\":\"y"));
    assertEquals(new WebSocketTestClient.Closed(1009, "Message too large"), edge.awaitClose());

    // the live session kept serving throughout
    dj.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + SESSION + "\",\"track\":{\"title\":\"After The Storm\",\"artist\":\"Fuzz\"},\"messageId\":\"t1\"}");
    assertEquals("ACK", last(dj.until("messageId", "t1")).get("type").asText());
    assertEquals("After The Storm", last(dancer.until("NOW_PLAYING")).get("track").get("title").asText());
    assertEquals(200, E2eNodes.get(port, "/health").statusCode());
    dj.close();
    dancer.close();
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "…(" + s.length() + " chars)";
  }
}
