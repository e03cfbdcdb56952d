package floorcast.ops;

import static floorcast.testing.PrometheusText.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import floorcast.testing.WebSocketTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's and the session entity's meters on a real node: a DJ and a dancer over real WebSockets, then
 * {@code /metrics} on the management port must show exactly what they did (docs/operations.md §11).
 */
class NodeMetricsIT {
  private static final String SESSION = "pika_1736972400000_metrics1";
  private static final String TRACK = "{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96}";
  private static final String DANCER_ID = "client_1736970000000_metrics";
  private static final int REACTIONS = 3;
  private static final int INVALID_BUDGET = 20; // floorcast.live.invalid-messages-per-minute
  private static final int UPGRADES = 3; // the DJ, the dancer, the invalid client: the next upgrade gets 429
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static FloorcastNode node;
  private static String metricsUrl;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.single(TestDatabase.fresh(), Map.of("floorcast.live.ws-rate-limit", UPGRADES));
    metricsUrl = "http://127.0.0.1:" + ManagementServer.start(node.system()).port() + "/metrics";
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void countersMoveByExactlyWhatTheClientsDid() throws Exception {
    int port = node.httpPort();
    WebSocketTestClient dj = WebSocketTestClient.connect(port);
    dj.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + SESSION + "\",\"djName\":\"DJ Meter\",\"messageId\":\"r1\"}");
    dj.until("ACK", "messageId", "r1");

    WebSocketTestClient dancer = WebSocketTestClient.connect(port);
    dancer.send(
        "{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + SESSION + "\",\"clientId\":\"" + DANCER_ID + "\",\"messageId\":\"s1\"}");
    dancer.until("ACK", "messageId", "s1");

    dj.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + SESSION + "\",\"track\":" + TRACK + ",\"messageId\":\"b1\"}");
    dj.until("ACK", "messageId", "b1");
    dj.await("the DJ's NOW_PLAYING", type("NOW_PLAYING"), WebSocketTestClient.WAIT);
    dancer.await("the dancer's NOW_PLAYING", type("NOW_PLAYING"), WebSocketTestClient.WAIT);

    for (int i = 1; i <= REACTIONS; i++) {
      dancer.send(
          "{\"type\":\"SEND_REACTION\",\"sessionId\":\"" + SESSION + "\",\"reaction\":\"thank_you\",\"messageId\":\"x" + i + "\"}");
      String id = "x" + i;
      dancer.await("ACK of " + id, f -> f.path("type").asText().equals("ACK") && f.path("messageId").asText().equals(id),
          WebSocketTestClient.WAIT);
    }
    // the entity coalesces reactions (leading edge, then one message per 250 ms window): however they were grouped,
    // the counts add up to what was sent, and each merged reaction is counted once
    int reactionMessages = reactionsUntilTotal(dancer);
    assertEquals(reactionMessages, reactionsUntilTotal(dj), "the DJ gets the same REACTION_RECEIVED messages");

    WebSocketTestClient invalid = WebSocketTestClient.connect(port);
    for (int i = 0; i <= INVALID_BUDGET; i++) invalid.send("{\"type\":\"ACK\",\"messageId\":\"m" + i + "\"}");
    assertEquals(1008, invalid.awaitClose().code());

    assertThrows(Exception.class, () -> WebSocketTestClient.connect(port), "upgrade over the per-IP limit: 429");

    // the server counts a close when the connection's stage stops, just after the client sees the Close frame
    String m = awaitScrape("the 1008 close counted", s -> value(s, "floorcast_ws_closes_total{code=\"1008\"}") == 1);

    assertEquals(1, value(m, "floorcast_ws_messages_in_total{type=\"REGISTER_SESSION\"}"));
    assertEquals(1, value(m, "floorcast_ws_messages_in_total{type=\"SUBSCRIBE\"}"));
    assertEquals(1, value(m, "floorcast_ws_messages_in_total{type=\"BROADCAST_TRACK\"}"));
    assertEquals(REACTIONS, value(m, "floorcast_ws_messages_in_total{type=\"SEND_REACTION\"}"));
    assertEquals(INVALID_BUDGET + 1, value(m, "floorcast_ws_messages_in_total{type=\"invalid\"}"));

    // one fan-out of NOW_PLAYING to the two connections following the session; the DJ's copy in its reply is the same
    // message, not a third one
    assertEquals(2, value(m, "floorcast_ws_messages_out_total{type=\"NOW_PLAYING\"}"));
    assertEquals(2 * reactionMessages, value(m, "floorcast_ws_messages_out_total{type=\"REACTION_RECEIVED\"}"));
    assertEquals(3 + REACTIONS, value(m, "floorcast_ws_messages_out_total{type=\"ACK\"}"));
    assertEquals(INVALID_BUDGET + 1, value(m, "floorcast_ws_messages_out_total{type=\"NACK\"}"));
    assertEquals(1, value(m, "floorcast_ws_messages_out_total{type=\"SESSION_REGISTERED\"}"));

    assertEquals(1, value(m, "floorcast_commands_total{result=\"ack\",type=\"BROADCAST_TRACK\"}"));
    assertEquals(1, value(m, "floorcast_commands_total{result=\"ack\",type=\"REGISTER_SESSION\"}"));
    assertEquals(1, value(m, "floorcast_commands_total{result=\"ack\",type=\"SUBSCRIBE\"}"));
    assertEquals(REACTIONS, value(m, "floorcast_commands_total{result=\"ack\",type=\"SEND_REACTION\"}"));
    assertEquals(3 + REACTIONS, value(m, "floorcast_commands_latency_seconds_count"), "invalid messages are no commands");

    assertEquals(REACTIONS - reactionMessages, value(m, "floorcast_feed_updates_coalesced_total"));
    // persisted: the registration, the dancer joining, the track (reactions persist nothing)
    assertTrue(value(m, "floorcast_journal_persist_latency_seconds_count") >= 3, "persist latency recorded");
    assertTrue(value(m, "floorcast_entity_recovery_seconds_count") >= 1, "the new entity's recovery is timed");
    assertEquals(0, value(m, "floorcast_journal_errors_total"));
    assertEquals(0, value(m, "floorcast_auth_failures_total"));
    assertEquals(1, value(m, "floorcast_ratelimit_rejections_total{limit=\"ws_upgrade\"}"));
    assertTrue(value(m, "floorcast_fanout_latency_seconds_count") >= 1 + reactionMessages, "fan-out latency recorded");
    assertEquals(2, value(m, "floorcast_ws_connections"), "the DJ and the dancer are still connected");

    dj.sendClose(1000, "done");
    dancer.sendClose(1000, "done");
    assertEquals(1000, dj.awaitClose().code());
    assertEquals(1000, dancer.awaitClose().code());
    String after =
        awaitScrape("the two 1000 closes counted", s -> value(s, "floorcast_ws_closes_total{code=\"1000\"}") == 2);
    assertEquals(0, value(after, "floorcast_ws_connections"));
    assertEquals(0, value(after, "floorcast_ws_slow_client_closes_total"));
    operationsDocNamesExactlyTheRenderedMeters(after);
  }

  /**
   * docs/operations.md §11 names every floorcast_* metric this node renders, and only those (histograms by their base
   * name: _bucket, _count, _sum and _max are its series).
   */
  private static void operationsDocNamesExactlyTheRenderedMeters(String scrape) throws Exception {
    String doc = Files.readString(Path.of("docs/operations.md"));
    String section = doc.substring(doc.indexOf("## 11. Metrics and alerts"), doc.indexOf("Alerts (PromQL"));
    Set<String> documented = new TreeSet<>();
    Matcher names = Pattern.compile("`(floorcast_[a-z_]+)").matcher(section);
    while (names.find()) documented.add(names.group(1));
    Set<String> rendered = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith("floorcast_")) rendered.add(line.split("[{ ]", 2)[0]);
    }
    for (String d : documented) {
      assertTrue(rendered.stream().anyMatch(r -> series(d, r)), "documented but not rendered: " + d + " in " + rendered);
    }
    for (String r : rendered) {
      assertTrue(documented.stream().anyMatch(d -> series(d, r)), "rendered but not documented: " + r);
    }
  }

  private static boolean series(String metric, String sample) {
    return sample.equals(metric) || sample.matches(Pattern.quote(metric) + "_(bucket|count|sum|max)");
  }

  /**
   * The REACTION_RECEIVED messages the client got (including those passed over while awaiting ACKs), awaiting more
   * until their counts add up to {@link #REACTIONS}; returns how many there were.
   */
  private static int reactionsUntilTotal(WebSocketTestClient client) throws Exception {
    while (true) {
      int total = 0;
      int messages = 0;
      synchronized (client.seen) {
        for (JsonNode f : client.seen) {
          if (type("REACTION_RECEIVED").test(f)) {
            total += f.path("count").asInt();
            messages++;
          }
        }
      }
      if (total >= REACTIONS) {
        assertEquals(REACTIONS, total);
        return messages;
      }
      client.await("REACTION_RECEIVED", type("REACTION_RECEIVED"), WebSocketTestClient.WAIT);
    }
  }

  private static Predicate<JsonNode> type(String type) {
    return f -> type.equals(f.path("type").asText());
  }

  private static String scrape() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(20)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  private static String awaitScrape(String what, Predicate<String> condition) throws Exception {
    long deadline = System.nanoTime() + WebSocketTestClient.WAIT.toNanos();
    while (true) {
      String s = scrape();
      if (condition.test(s)) return s;
      if (System.nanoTime() > deadline) throw new AssertionError(what + " not within " + WebSocketTestClient.WAIT + ":\n" + s);
      Thread.sleep(50);
    }
  }
}
