package floorcast.live.e2e;

import static floorcast.testing.WebSocketTestClient.last;
import static floorcast.testing.WebSocketTestClient.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.ops.FloorcastNode;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import floorcast.testing.WebSocketTestClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays what the unchanged Pika! 0.3.0 desktop and web clients send (clients.md §2, §3) against a complete node,
 * checking every reply field by field (protocol.md §6) and the order rules (§1.7, §4.1).
 */
class WireCompatibilityIT {
  private static final String TRACK_A = "{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96,\"key\":\"Am\"}";
  private static final String TRACK_B = "{\"title\":\"Sway\",\"artist\":\"Rosie Carney\"}";
  private static FloorcastNode node;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    // a 1 s track throttle keeps the run short; the throttle itself is the same code path (§3.2)
    node = TestNodes.single(TestDatabase.fresh(), E2eNodes.overrides(Map.of("floorcast.session.track-throttle", "1s")));
    port = node.httpPort();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static String register(String sessionId, String djName, String token) {
    return "{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"djName\":\"" + djName + "\""
        + (token == null ? "" : ",\"token\":\"" + token + "\"") + ",\"version\":\"0.3.0\"}";
  }

  /** The desktop's ACK-tracked BROADCAST_TRACK, re-sent after a rate-limit NACK like its retry loop (§3.4). */
  private static List<JsonNode> broadcast(WebSocketTestClient dj, String sessionId, String track, String messageId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      dj.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + sessionId + "\",\"track\":" + track
          + ",\"version\":\"0.3.0\",\"messageId\":\"" + messageId + "\"}");
      List<JsonNode> frames = dj.until("messageId", messageId);
      JsonNode answer = last(frames);
      if (answer.path("type").asText().equals("ACK")) return frames;
      assertEquals("rate_limited", answer.path("code").asText(), answer.toString());
      assertTrue(System.nanoTime() < deadline, "throttle never opened");
      Thread.sleep(300);
    }
  }

  private static void checkConversation(WebSocketTestClient... clients) {
    for (WebSocketTestClient c : clients) WireShapes.checkAll(c.seen, new HashMap<>());
  }

  @Test
  void desktopWithTokenAndWebDancerThroughAWholeSet() throws Exception {
    String token = E2eNodes.registerDj(port, "smooth@example.org", "DJ Smooth");
    assertTrue(token.matches("pk_dj_[0-9a-f]{32}"), token);
    String sessionId = "pika_1736972400000_k3j9x2m1q";
    String clientId = "client_1736970000000_x7k2p9q4r";

    WebSocketTestClient dj = WebSocketTestClient.connect(port);
    dj.send(register(sessionId, "Ignored Name", token));
    List<JsonNode> registered = dj.until("LISTENER_COUNT");
    // no messageId → no ACK; SESSION_REGISTERED → SESSION_STARTED → direct LISTENER_COUNT (§3.1 step 7)
    assertEquals(List.of("SESSION_REGISTERED", "SESSION_STARTED", "LISTENER_COUNT"), types(registered));
    JsonNode reg = registered.get(0);
    assertEquals(sessionId, reg.get("sessionId").asText());
    assertTrue(reg.get("authenticated").asBoolean());
    assertEquals("DJ Smooth", reg.get("djName").asText());
    assertFalse(reg.get("resumed").asBoolean());
    assertEquals("DJ Smooth", registered.get(1).get("djName").asText());
    assertEquals(0, registered.get(2).get("count").asInt());

    // web: SUBSCRIBE {clientId, sessionId} without messageId → snapshot, no ACK (§4.1)
    WebSocketTestClient web = WebSocketTestClient.connect(port);
    web.send("{\"type\":\"SUBSCRIBE\",\"clientId\":\"" + clientId + "\",\"sessionId\":\"" + sessionId + "\"}");
    List<JsonNode> snapshot = web.until("DJ_STATUS");
    assertEquals(List.of("SESSIONS_LIST", "LISTENER_COUNT", "DJ_STATUS"), types(snapshot));
    JsonNode entry = snapshot.get(0).get("sessions");
    assertEquals(1, entry.size());
    assertEquals(sessionId, entry.get(0).get("sessionId").asText());
    assertEquals("DJ Smooth", entry.get(0).get("djName").asText());
    assertFalse(entry.get(0).has("currentTrack"), "no track yet");
    assertEquals(1, snapshot.get(1).get("count").asInt());
    assertTrue(snapshot.get(2).get("connected").asBoolean());

    // ACK-tracked track: ACK before the broadcast on the sender (§1.7)
    List<String> djFrames = types(broadcast(dj, sessionId, TRACK_A, "msg_1736972645123_a1b2c3d"));
    djFrames.addAll(types(dj.until("NOW_PLAYING")));
    assertTrue(djFrames.indexOf("ACK") < djFrames.lastIndexOf("NOW_PLAYING"), djFrames.toString());
    JsonNode playing = last(web.until("NOW_PLAYING"));
    assertEquals(WebSocketTestClient.JSON.readTree(TRACK_A), playing.get("track"));
    assertEquals("DJ Smooth", playing.get("djName").asText());

    // desktop heartbeat and the web's: exactly {"type":"PONG"} (§5)
    dj.send("{\"type\":\"PING\"}");
    assertEquals("{\"type\":\"PONG\"}", last(dj.until("PONG")).toString());
    web.send("{\"type\":\"PING\"}");
    assertEquals("{\"type\":\"PONG\"}", last(web.until("PONG")).toString());

    // tempo: the vote reaches only the DJ; clear brings the aggregate back to 0 (§4.6, §10)
    web.send("{\"type\":\"SEND_TEMPO_REQUEST\",\"sessionId\":\"" + sessionId + "\",\"preference\":\"faster\",\"clientId\":\"" + clientId + "\"}");
    JsonNode tempo = last(dj.until("TEMPO_FEEDBACK", "total", "1"));
    assertEquals(List.of(1, 0, 0), List.of(tempo.get("faster").asInt(), tempo.get("slower").asInt(), tempo.get("perfect").asInt()));
    web.send("{\"type\":\"SEND_TEMPO_REQUEST\",\"sessionId\":\"" + sessionId + "\",\"preference\":\"clear\",\"clientId\":\"" + clientId + "\"}");
    JsonNode cleared = last(dj.until("TEMPO_FEEDBACK", "total", "0"));
    assertEquals(0, cleared.get("faster").asInt());

    // desktop poll: START_POLL / CANCEL_POLL with only sessionId, no messageId (clients.md §3.3)
    dj.send("{\"type\":\"START_POLL\",\"sessionId\":\"" + sessionId + "\",\"question\":\"Next style?\",\"options\":[\"Blues\",\"Contemporary\",\"Lyrical\"],\"durationSeconds\":120}");
    JsonNode started = last(dj.until("POLL_STARTED"));
    assertEquals(List.of("Blues", "Contemporary", "Lyrical"), WebSocketTestClient.JSON.convertValue(started.get("options"), List.class));
    assertTrue(started.has("endsAt"));
    long pollId = started.get("pollId").asLong();
    assertEquals(pollId, last(web.until("POLL_STARTED")).get("pollId").asLong());
    web.send("{\"type\":\"VOTE_ON_POLL\",\"pollId\":" + pollId + ",\"optionIndex\":2,\"clientId\":\"" + clientId + "\"}");
    JsonNode update = last(dj.until("POLL_UPDATE"));
    assertEquals("[0,0,1]", update.get("votes").toString());
    assertEquals(1, update.get("totalVotes").asInt());
    dj.send("{\"type\":\"CANCEL_POLL\",\"sessionId\":\"" + sessionId + "\"}");
    JsonNode cancelled = last(web.until("POLL_ENDED"));
    assertEquals(pollId, cancelled.get("pollId").asLong());
    assertEquals("[0,0,0]", cancelled.get("results").toString());
    assertEquals(0, cancelled.get("totalVotes").asInt());
    assertEquals(-1, cancelled.get("winnerIndex").asInt());
    dj.until("POLL_ENDED");

    dj.send("{\"type\":\"START_POLL\",\"sessionId\":\"" + sessionId + "\",\"question\":\"Tempo Check\",\"options\":[\"Slower\",\"Perfect\",\"Faster\"],\"durationSeconds\":60}");
    long second = last(dj.until("POLL_STARTED")).get("pollId").asLong();
    assertTrue(second > pollId, "poll ids increase");
    web.send("{\"type\":\"VOTE_ON_POLL\",\"pollId\":" + second + ",\"optionIndex\":1,\"clientId\":\"" + clientId + "\"}");
    web.until("POLL_UPDATE");
    dj.send("{\"type\":\"END_POLL\",\"pollId\":" + second + "}");
    JsonNode ended = last(web.until("POLL_ENDED"));
    assertEquals("[0,1,0]", ended.get("results").toString());
    assertEquals(1, ended.get("winnerIndex").asInt());
    dj.until("POLL_ENDED");

    dj.send("{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"" + sessionId + "\",\"message\":\"Last dance in 10 minutes!\",\"durationSeconds\":300,\"push\":false}");
    JsonNode announced = last(web.until("ANNOUNCEMENT_RECEIVED"));
    assertEquals("Last dance in 10 minutes!", announced.get("message").asText());
    assertEquals("DJ Smooth", announced.get("djName").asText());
    assertTrue(announced.has("endsAt"));

    web.send("{\"type\":\"SEND_REACTION\",\"sessionId\":\"" + sessionId + "\",\"reaction\":\"thank_you\",\"clientId\":\"" + clientId + "\"}");
    JsonNode thanks = last(dj.until("REACTION_RECEIVED"));
    assertEquals("thank_you", thanks.get("reaction").asText());
    assertEquals(1, thanks.get("count").asInt());

    // likes from the web: SEND_LIKE then REMOVE_LIKE (no broadcast for a removal, §9)
    web.send("{\"type\":\"SEND_LIKE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"" + clientId + "\",\"payload\":{\"track\":" + TRACK_A + "}}");
    JsonNode liked = last(dj.until("LIKE_RECEIVED"));
    assertEquals(1, liked.get("count").asInt());
    assertEquals("Queen of Loneliness", liked.get("payload").get("track").get("title").asText());
    web.send("{\"type\":\"REMOVE_LIKE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"" + clientId + "\",\"payload\":{\"track\":" + TRACK_A + "}}");

    // desktop reconnect on a new socket: the token resumes the account's session (§3.1 step 4)
    WebSocketTestClient dj2 = WebSocketTestClient.connect(port);
    dj2.send(register(sessionId, "Ignored Name", token));
    JsonNode resumed = dj2.next();
    assertEquals("SESSION_REGISTERED", resumed.get("type").asText());
    assertTrue(resumed.get("resumed").asBoolean());
    assertTrue(resumed.get("authenticated").asBoolean());
    assertEquals("DJ Smooth", resumed.get("djName").asText());
    List<String> afterResume = types(dj2.until("TEMPO_FEEDBACK"));
    assertFalse(afterResume.contains("SESSION_STARTED"), "never on resume: " + afterResume);
    assertTrue(afterResume.indexOf("LISTENER_COUNT") < afterResume.indexOf("TEMPO_FEEDBACK"), afterResume.toString());
    // the old socket silently lost the role
    dj.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + sessionId + "\",\"track\":" + TRACK_B + ",\"messageId\":\"msg_old_socket\"}");
    JsonNode refused = last(dj.until("messageId", "msg_old_socket"));
    assertEquals("NACK", refused.get("type").asText());
    assertEquals("Unauthorized track broadcast", refused.get("error").asText());
    assertEquals("unauthorized", refused.get("code").asText());

    // offline-queue flush with the original messageId: ACK, no second play (clients.md §3.5, §3.7)
    dj2.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + sessionId + "\",\"track\":" + TRACK_A + ",\"version\":\"0.3.0\",\"messageId\":\"msg_1736972645123_a1b2c3d\"}");
    assertEquals("ACK", last(dj2.until("messageId", "msg_1736972645123_a1b2c3d")).get("type").asText());
    broadcast(dj2, sessionId, TRACK_B, "msg_1736972700000_b2c3d4e");
    List<JsonNode> webUntilB = web.until("NOW_PLAYING");
    assertEquals("Sway", last(webUntilB).get("track").get("title").asText(), "the duplicate caused no NOW_PLAYING: " + webUntilB);
    assertTrue(types(webUntilB).contains("TEMPO_RESET"), "a different track resets tempo: " + types(webUntilB));

    // web reconnect: SUBSCRIBE again on a new socket, then the offline likes as one SEND_BULK_LIKE (clients.md §2.3)
    web.close();
    WebSocketTestClient web2 = WebSocketTestClient.connect(port);
    web2.send("{\"type\":\"SUBSCRIBE\",\"clientId\":\"" + clientId + "\",\"sessionId\":\"" + sessionId + "\"}");
    List<JsonNode> resync = web2.until("DJ_STATUS");
    assertEquals(List.of("SESSIONS_LIST", "NOW_PLAYING", "ANNOUNCEMENT_RECEIVED", "LISTENER_COUNT", "DJ_STATUS"), types(resync));
    assertEquals("Sway", resync.get(0).get("sessions").get(0).get("currentTrack").get("title").asText());
    web2.send("{\"type\":\"SEND_BULK_LIKE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"" + clientId + "\",\"payload\":{\"tracks\":[" + TRACK_A + "," + TRACK_B + "]}}");
    int likes = 0;
    java.util.Set<String> likedTitles = new java.util.HashSet<>();
    while (likedTitles.size() < 2) {
      JsonNode like = last(dj2.until("LIKE_RECEIVED"));
      likedTitles.add(like.get("payload").get("track").get("title").asText());
      likes += like.get("count").asInt();
    }
    assertEquals(2, likes);
    assertEquals(java.util.Set.of("Queen of Loneliness", "Sway"), likedTitles);

    // wake-up: the web re-sends SUBSCRIBE on the same socket; the listener is not counted twice (§4.1)
    web2.send("{\"type\":\"SUBSCRIBE\",\"clientId\":\"" + clientId + "\",\"sessionId\":\"" + sessionId + "\"}");
    List<JsonNode> again = web2.until("DJ_STATUS");
    JsonNode count = again.get(again.size() - 2);
    assertEquals("LISTENER_COUNT", count.get("type").asText(), types(again).toString());
    assertEquals(1, count.get("count").asInt());

    // END_SESSION is awaited by the desktop: ACK, then SESSION_ENDED (§3.5)
    dj2.send("{\"type\":\"END_SESSION\",\"sessionId\":\"" + sessionId + "\",\"version\":\"0.3.0\",\"messageId\":\"msg_1736986000000_e5n6d7s\"}");
    List<String> ending = types(dj2.until("SESSION_ENDED"));
    assertTrue(ending.contains("ACK") && ending.indexOf("ACK") < ending.indexOf("SESSION_ENDED"), ending.toString());
    JsonNode webEnd = last(web2.until("SESSION_ENDED"));
    assertTrue(webEnd.has("seq"), "the lobby event carries seq: " + webEnd);

    // history after the projection: two plays, the duplicate did not add one (rest.md §4.3)
    E2eNodes.await(Duration.ofSeconds(30), "history with two plays", () -> historySize(sessionId) >= 2);
    JsonNode history = WebSocketTestClient.JSON.readTree(E2eNodes.get(port, "/api/session/" + sessionId + "/history").body());
    assertEquals(2, history.size(), history.toString());
    assertEquals("Sway", history.get(0).get("title").asText());

    dj.drain(Duration.ofMillis(300));
    web2.drain(Duration.ofMillis(300));
    checkConversation(dj, dj2, web, web2);
    dj.close();
    dj2.close();
    web2.close();
  }

  private static int historySize(String sessionId) {
    try {
      return WebSocketTestClient.JSON.readTree(E2eNodes.get(port, "/api/session/" + sessionId + "/history").body()).size();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void anonymousDesktopReconnectIsRefusedWhileTheOldSocketLivesAndAcceptedOnceItCloses() throws Exception {
    String clientId = "client_1736970000001_lobby77";
    // web without a target: GET_SESSIONS, then follows SESSION_STARTED (clients.md §2.2)
    WebSocketTestClient lobby = WebSocketTestClient.connect(port);
    lobby.send("{\"type\":\"GET_SESSIONS\",\"clientId\":\"" + clientId + "\"}");
    assertEquals("SESSIONS_LIST", lobby.next().get("type").asText());

    String sessionId = "pika_1736972400001_anon0001";
    WebSocketTestClient dj = WebSocketTestClient.connect(port);
    dj.send(register(sessionId, "DJ Anon", null));
    JsonNode reg = dj.next();
    assertEquals("SESSION_REGISTERED", reg.get("type").asText());
    assertFalse(reg.get("authenticated").asBoolean());
    assertEquals("DJ Anon", reg.get("djName").asText());
    dj.until("LISTENER_COUNT");
    JsonNode startedEvent = last(lobby.until("SESSION_STARTED", "sessionId", sessionId));
    assertEquals("DJ Anon", startedEvent.get("djName").asText());
    lobby.send("{\"type\":\"SUBSCRIBE\",\"clientId\":\"" + clientId + "\",\"sessionId\":\"" + sessionId + "\"}");
    lobby.until("DJ_STATUS");

    // the old DJ socket is alive and pinging: re-registration elsewhere is refused, as ERROR (no messageId)
    dj.send("{\"type\":\"PING\"}");
    assertEquals("{\"type\":\"PONG\"}", last(dj.until("PONG")).toString());
    WebSocketTestClient dj2 = WebSocketTestClient.connect(port);
    dj2.send(register(sessionId, "DJ Anon", null));
    assertEquals("{\"type\":\"ERROR\",\"code\":\"session_owned\",\"message\":\"Session owned by another DJ\"}", dj2.nextText());

    // the old socket closes: the dancer sees the DJ away, the desktop's retry resumes (§7.3, §3.1)
    dj.close();
    dj.awaitClose();
    JsonNode away = last(lobby.until("DJ_STATUS"));
    assertFalse(away.get("connected").asBoolean());
    dj2.send(register(sessionId, "DJ Anon", null));
    JsonNode resumed = dj2.next();
    assertEquals("SESSION_REGISTERED", resumed.get("type").asText(), resumed.toString());
    assertTrue(resumed.get("resumed").asBoolean());
    assertTrue(last(lobby.until("DJ_STATUS")).get("connected").asBoolean());
    broadcast(dj2, sessionId, TRACK_B, "msg_1736972800000_anon001");
    assertEquals("Sway", last(lobby.until("NOW_PLAYING")).get("track").get("title").asText());

    // reply order with messageIds: direct reply → ACK (§1.6), VALIDATE_SESSION and GET_SESSIONS
    dj2.send("{\"type\":\"VALIDATE_SESSION\",\"sessionId\":\"" + sessionId + "\",\"messageId\":\"v1\"}");
    List<JsonNode> valid = dj2.until("ACK");
    JsonNode validity = valid.get(valid.size() - 2);
    assertEquals("{\"type\":\"SESSION_VALID\",\"sessionId\":\"" + sessionId + "\",\"isValid\":true}", validity.toString());
    lobby.send("{\"type\":\"GET_SESSIONS\",\"clientId\":\"" + clientId + "\",\"messageId\":\"g1\"}");
    List<JsonNode> listed = lobby.until("ACK");
    assertEquals("SESSIONS_LIST", listed.get(listed.size() - 2).get("type").asText());
    assertEquals("g1", last(listed).get("messageId").asText());

    dj2.send("{\"type\":\"END_SESSION\",\"sessionId\":\"" + sessionId + "\",\"messageId\":\"msg_end_anon\"}");
    dj2.until("SESSION_ENDED");
    lobby.until("SESSION_ENDED");
    lobby.drain(Duration.ofMillis(300));
    checkConversation(dj, dj2, lobby);
    dj2.close();
    lobby.close();
  }
}
