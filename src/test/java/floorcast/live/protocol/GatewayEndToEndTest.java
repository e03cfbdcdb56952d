package floorcast.live.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import floorcast.account.JdbcTokenAuthenticator;
import floorcast.live.LiveSessions;
import floorcast.live.codec.OutboundCodec;
import floorcast.live.transport.LiveGateway;
import floorcast.live.transport.LiveSessionDirectory;
import floorcast.ops.FloorcastNode;
import floorcast.session.SessionSettings;
import floorcast.session.SessionSharding;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import floorcast.testing.WebSocketTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both halves of /ws assembled as the node will assemble them (transport LiveGateway + this package's
 * LiveConnectionFactory + sharded DjSession), driven by real WebSocket clients.
 */
class GatewayEndToEndTest {
  private static final ObjectMapper json = new ObjectMapper();
  private static final Map<String, Object> OVERRIDES = Map.of("floorcast.live.ask-timeout", "30s");
  private static final String TRACK = "{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96}";

  private static FloorcastNode node;
  private static int port;

  /** A complete node (FloorcastNode wires gateway, sharded sessions, REST) on a fresh database. */
  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.single(TestDatabase.fresh(), OVERRIDES);
    port = node.httpPort();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static List<JsonNode> until(WebSocketTestClient client, String type) throws Exception {
    List<JsonNode> frames = new ArrayList<>();
    while (true) {
      JsonNode frame = json.readTree(client.nextText());
      frames.add(frame);
      if (type.equals(frame.path("type").asText())) return frames;
    }
  }

  private static JsonNode last(List<JsonNode> frames) {
    return frames.get(frames.size() - 1);
  }

  private static List<String> types(List<JsonNode> frames) {
    List<String> types = new ArrayList<>();
    for (JsonNode f : frames) types.add(f.path("type").asText());
    return types;
  }

  @Test
  void aSetOverRealWebSockets() throws Exception {
    String sessionId = "pika_e2e_" + System.nanoTime();
    WebSocketTestClient dj = WebSocketTestClient.connect(port);
    dj.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"djName\":\"DJ Wire\",\"version\":\"0.3.0\"}");
    List<JsonNode> registered = until(dj, "LISTENER_COUNT");
    assertEquals(List.of("SESSION_REGISTERED", "SESSION_STARTED", "LISTENER_COUNT"), types(registered));

    WebSocketTestClient dancer = WebSocketTestClient.connect(port);
    dancer.send("{\"type\":\"GET_SESSIONS\",\"clientId\":\"client_1736970000000_e2e\"}");
    JsonNode list = last(until(dancer, "SESSIONS_LIST"));
    assertTrue(list.toString().contains(sessionId), list.toString());
    dancer.send("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"client_1736970000000_e2e\",\"messageId\":\"s1\"}");
    List<JsonNode> snapshot = until(dancer, "ACK");
    assertEquals("SESSIONS_LIST", snapshot.get(0).path("type").asText());

    dj.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + sessionId + "\",\"track\":" + TRACK + ",\"messageId\":\"msg_1_a\"}");
    List<String> djTypes = types(until(dj, "NOW_PLAYING"));
    assertTrue(djTypes.indexOf("ACK") >= 0 && djTypes.indexOf("ACK") < djTypes.indexOf("NOW_PLAYING"), djTypes.toString());
    JsonNode playing = last(until(dancer, "NOW_PLAYING"));
    assertEquals(json.readTree(TRACK), playing.path("track"));

    dancer.send("{\"type\":\"SEND_LIKE\",\"payload\":{\"track\":" + TRACK + "}}");
    JsonNode like = last(until(dj, "LIKE_RECEIVED"));
    assertEquals("Queen of Loneliness", like.path("payload").path("track").path("title").asText());

    until(dancer, "LIKE_RECEIVED"); // the dancer is a recipient too (§1.4)
    dancer.send("{\"type\":\"NOW_PLAYING\"}");
    assertEquals("{\"type\":\"ERROR\",\"code\":\"unknown_type\",\"message\":\"Unknown message type\"}", dancer.nextText());
    dancer.send("{\"type\":\"PING\"}");
    assertEquals("{\"type\":\"PONG\"}", dancer.nextText());

    dj.send("{\"type\":\"END_SESSION\",\"sessionId\":\"" + sessionId + "\",\"messageId\":\"msg_2_e\"}");
    List<String> ending = types(until(dj, "SESSION_ENDED"));
    assertTrue(ending.indexOf("ACK") < ending.indexOf("SESSION_ENDED"), ending.toString());
    until(dancer, "SESSION_ENDED");

    WebSocketTestClient late = WebSocketTestClient.connect(port);
    late.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"messageId\":\"r9\"}");
    JsonNode refused = json.readTree(late.nextText());
    assertEquals("Session has ended", refused.path("error").asText());
    WebSocketTestClient.Closed closed = late.closed.get(30, TimeUnit.SECONDS);
    assertEquals(4410, closed.code());
    assertEquals("Session has ended", closed.reason());
    assertFalse(dj.closed.isDone(), "ending a session leaves the connections open");
    dj.close();
    dancer.close();
  }

  @Test
  void tooManyInvalidMessagesClose1008() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(port);
    for (int i = 0; i < 21; i++) client.send("{\"type\":\"ACK\",\"messageId\":\"m" + i + "\"}");
    for (int i = 0; i < 21; i++) {
      assertEquals("m" + i, json.readTree(client.nextText()).path("messageId").asText(), "every invalid message is answered");
    }
    WebSocketTestClient.Closed closed = client.closed.get(30, TimeUnit.SECONDS);
    assertEquals(1008, closed.code());
    assertEquals("Too many invalid messages", closed.reason());
  }

  @Test
  void aValidTokenMakesTheSessionAccountOwnedAndResumableOnlyWithIt() throws Exception {
    String token = floorcast.account.DjTokens.newRawToken();
    try (var c = node.dataSource().getConnection();
        var user =
            c.prepareStatement(
                "INSERT INTO dj_users (email, password_hash, display_name, slug) VALUES ('e2e@example.org', 'x', 'DJ Account', 'dj-account') RETURNING id");
        var rs = user.executeQuery()) {
      rs.next();
      try (var tok = c.prepareStatement("INSERT INTO dj_tokens (dj_user_id, token) VALUES (?, ?)")) {
        tok.setInt(1, rs.getInt(1));
        tok.setString(2, floorcast.account.DjTokens.storedHash(token));
        tok.executeUpdate();
      }
    }
    String sessionId = "pika_e2e_tok_" + System.nanoTime();
    WebSocketTestClient dj = WebSocketTestClient.connect(port);
    dj.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"djName\":\"Ignored\",\"token\":\"" + token + "\"}");
    JsonNode registered = until(dj, "SESSION_REGISTERED").get(0);
    assertTrue(registered.path("authenticated").asBoolean(), registered.toString());
    assertEquals("DJ Account", registered.path("djName").asText());

    WebSocketTestClient other = WebSocketTestClient.connect(port);
    other.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"token\":\"pk_dj_not_the_right_token\",\"messageId\":\"r1\"}");
    JsonNode refused = json.readTree(other.nextText());
    assertEquals("Session owned by another DJ", refused.path("error").asText());
    assertEquals("session_owned", refused.path("code").asText());
    dj.close();
    other.close();
  }
}
