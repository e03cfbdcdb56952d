package floorcast.live.e2e;

import static floorcast.testing.WebSocketTestClient.last;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.ops.FloorcastNode;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import floorcast.testing.WebSocketTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Single rules over real sockets on a complete node that the protocol-level tests do not cover end to end. */
class GatewayRulesIT {
  private static FloorcastNode node;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.single(TestDatabase.fresh(), E2eNodes.overrides(Map.of("floorcast.session.max-sessions", 2)));
    port = node.httpPort();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static WebSocketTestClient dj(String sessionId) throws Exception {
    WebSocketTestClient dj = WebSocketTestClient.connect(port);
    dj.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"djName\":\"DJ Rules\",\"messageId\":\"r\"}");
    assertEquals("ACK", last(dj.until("messageId", "r")).get("type").asText());
    return dj;
  }

  private static int liveSessions() {
    try {
      return WebSocketTestClient.JSON.readTree(E2eNodes.get(port, "/api/sessions/active").body()).path("sessions").size();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void everyMessageIdGetsExactlyOneAckOrNackAndTheCapCloses1013() throws Exception {
    String session = "pika_1736972400000_rules001";
    WebSocketTestClient dj = dj(session);
    WebSocketTestClient stranger = WebSocketTestClient.connect(port);
    // a mix: accepted, duplicate, refused, invalid and unknown, each with its own messageId (§1.6)
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String a = "ann_" + i;
      dj.send("{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"" + session + "\",\"message\":\"hello " + i + "\",\"messageId\":\"" + a + "\"}");
      dj.send("{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"" + session + "\",\"message\":\"again " + i + "\",\"messageId\":\"" + a + "\"}");
      dj.send("{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"" + session + "\",\"message\":\"\",\"messageId\":\"bad_" + i + "\"}");
      dj.send("{\"type\":\"NOT_A_TYPE\",\"messageId\":\"unk_" + i + "\"}");
      dj.send("{\"type\":\"VALIDATE_SESSION\",\"sessionId\":\"" + session + "\",\"messageId\":\"val_" + i + "\"}");
      stranger.send("{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"" + session + "\",\"message\":\"x\",\"messageId\":\"str_" + i + "\"}");
      sent.addAll(List.of(a, a, "bad_" + i, "unk_" + i, "val_" + i));
    }
    dj.send("{\"type\":\"PING\",\"messageId\":\"last\"}");
    stranger.send("{\"type\":\"PING\",\"messageId\":\"last\"}");
    // frames of one connection are handled in order (§1.2): after the last ACK every earlier answer is in
    List<JsonNode> djFrames = dj.until("messageId", "last");
    List<JsonNode> strangerFrames = stranger.until("messageId", "last");
    Map<String, Integer> answers = new HashMap<>();
    for (JsonNode f : djFrames) {
      String t = f.get("type").asText();
      if (t.equals("ACK") || t.equals("NACK")) answers.merge(f.get("messageId").asText(), 1, Integer::sum);
    }
    Map<String, Integer> expected = new HashMap<>();
    for (String id : sent) expected.merge(id, 1, Integer::sum);
    expected.put("last", 1);
    assertEquals(expected, answers);
    int announcements = 0;
    for (JsonNode f : djFrames) if (f.get("type").asText().equals("ANNOUNCEMENT_RECEIVED")) announcements++;
    assertEquals(10, announcements, "duplicates were ACKed without effect");
    int refused = 0;
    for (JsonNode f : strangerFrames) {
      if (f.get("type").asText().equals("NACK")) {
        assertEquals("Unauthorized announcement", f.get("error").asText());
        refused++;
      }
    }
    assertEquals(10, refused);
    WireShapes.checkAll(djFrames, new HashMap<>());

    // MAX_SESSIONS = 2: a third new session closes the connection with 1013, no NACK (§3.1 step 5)
    E2eNodes.await(Duration.ofSeconds(20), "only this test's session live", () -> liveSessions() == 1);
    WebSocketTestClient second = dj("pika_1736972400000_rules002");
    E2eNodes.await(Duration.ofSeconds(20), "two live sessions listed", () -> liveSessions() == 2);
    WebSocketTestClient third = WebSocketTestClient.connect(port);
    third.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"pika_1736972400000_rules003\",\"messageId\":\"r3\"}");
    assertEquals(new WebSocketTestClient.Closed(1013, "Server busy (max sessions reached)"), third.awaitClose());
    assertTrue(third.inbox.isEmpty(), "no NACK before the close: " + third.inbox);
    dj.close();
    second.close();
    stranger.close();
  }

  @Test
  void likesAreCoalescedAndTheirCountsSumUp() throws Exception {
    String session = "pika_1736972400000_likes001";
    WebSocketTestClient dj = dj(session);
    String track = "{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\"}";
    dj.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + session + "\",\"track\":" + track + ",\"messageId\":\"t\"}");
    dj.until("NOW_PLAYING");
    int dancers = 24;
    List<WebSocketTestClient> clients = new ArrayList<>();
    for (int i = 0; i < dancers; i++) {
      WebSocketTestClient d = WebSocketTestClient.connect(port);
      d.send("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + session + "\",\"clientId\":\"client_1736970000000_like" + i + "\",\"messageId\":\"s\"}");
      d.until("messageId", "s");
      clients.add(d);
    }
    for (WebSocketTestClient d : clients) d.send("{\"type\":\"SEND_LIKE\",\"payload\":{\"track\":" + track + "}}");
    // §9: counts since the previous LIKE_RECEIVED sum to the likes; at most 4 messages per second per track
    int total = 0;
    List<Long> arrivals = new ArrayList<>();
    while (total < dancers) {
      WebSocketTestClient.Received r = dj.inbox.poll(30, TimeUnit.SECONDS);
      assertTrue(r != null, "likes missing: " + total + " of " + dancers);
      JsonNode f = WebSocketTestClient.JSON.readTree(r.text());
      if (!f.get("type").asText().equals("LIKE_RECEIVED")) continue;
      WireShapes.check(f);
      assertEquals("Queen of Loneliness", f.get("payload").get("track").get("title").asText());
      total += f.get("count").asInt();
      arrivals.add(r.nanos());
    }
    assertEquals(dancers, total);
    double spanSeconds = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e9;
    assertTrue(
        arrivals.size() <= 1 + 4 * Math.ceil(spanSeconds + 0.001),
        arrivals.size() + " LIKE_RECEIVED within " + spanSeconds + " s");
    assertTrue(arrivals.size() < dancers, "likes were coalesced: " + arrivals.size());
    // end it: the other test counts live sessions against MAX_SESSIONS
    dj.send("{\"type\":\"END_SESSION\",\"sessionId\":\"" + session + "\",\"messageId\":\"end\"}");
    dj.until("SESSION_ENDED");
    dj.close();
    for (WebSocketTestClient d : clients) d.close();
  }
}
