package floorcast.ops;

import static floorcast.testing.PrometheusText.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import floorcast.testing.WebSocketTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node configured with a broadcast-path warm-up hands every warm-up broadcast to every warm-up follower's socket
 * before it reports ready, on both fan-out paths (a small session on the feed's thread, a big one on the lanes),
 * and leaves no trace: nothing persisted, no session listed, nothing to a lobby watcher connected meanwhile, no
 * connection left open.
 */
class BroadcastPathWarmupTest {
  private static final int FOLLOWERS = 24; // 6 in the small session, 18 in the big one (more than 8: on the lanes)
  // a quarter each NOW_PLAYING, LIKE_RECEIVED, LISTENER_COUNT; the ten other types in turn (10 each); seconds long,
  // so the lobby watcher below is surely connected while it runs
  private static final int BROADCASTS = 400;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static DatabaseSettings db;
  private static FloorcastNode node;
  private static String metricsUrl;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.fresh();
    node =
        TestNodes.single(
            db,
            Map.of(
                "floorcast.live.warmup-followers", FOLLOWERS,
                "floorcast.live.warmup-broadcasts", BROADCASTS,
                "floorcast.live.fanout-inline-followers", 8));
    metricsUrl = "http://127.0.0.1:" + ManagementServer.start(node.system()).port() + "/metrics";
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void everyFollowerGetsEveryWarmupBroadcastBeforeReadyAndNothingRemains() throws Exception {
    // a lobby watcher on the public port while the node warms up (the warm-up waits for the member to be Up)
    WebSocketTestClient watcher = WebSocketTestClient.connect(node.httpPort());
    try {
      watcher.send("{\"type\":\"GET_SESSIONS\",\"messageId\":\"lobby\"}");
      watcher.until("ACK");
      assertEquals(503, get("/health/ready").statusCode(), "the watcher joined while the node was still warming up");

      Eventually.await("/health/ready = 200", Duration.ofSeconds(90), () -> get("/health/ready").statusCode() == 200);
      // counted as each connection writes the frame: at the first ready answer every broadcast is on every socket
      String metrics = get(metricsUrl, true).body();
      int each = BROADCASTS / 4 * FOLLOWERS;
      assertEquals(each + FOLLOWERS, out(metrics, "NOW_PLAYING"), "a quarter of the broadcasts + the SUBSCRIBE snapshot, each follower");
      assertEquals(each, out(metrics, "LIKE_RECEIVED"), metrics);
      assertEquals(each, out(metrics, "LISTENER_COUNT"), metrics);
      for (String type :
          List.of(
              "POLL_STARTED", "POLL_UPDATE", "REACTION_RECEIVED", "ANNOUNCEMENT_RECEIVED", "METADATA_UPDATED",
              "POLL_ENDED", "ANNOUNCEMENT_CANCELLED", "DJ_STATUS", "TRACK_STOPPED", "TEMPO_RESET")) {
        assertEquals(BROADCASTS / 40 * FOLLOWERS, out(metrics, type), type);
      }
      assertEquals(FOLLOWERS, value(metrics, "floorcast_ws_messages_in_total{type=\"SUBSCRIBE\"}"), metrics);

      // the lobby watcher got nothing of it (the warm-up sessions' messages go to their followers only)
      List<JsonNode> later = watcher.drain(Duration.ofMillis(500));
      assertEquals(List.of(), WebSocketTestClient.types(later));
      assertTrue(watcher.seen.stream().noneMatch(f -> f.path("sessionId").asText().startsWith("floorcast_warmup")));
    } finally {
      watcher.close();
    }

    // nothing of the warm-up sessions persisted or listed; its connections are closed
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM event_journal WHERE persistence_id LIKE '%warmup_%'")) {
      r.next();
      assertEquals(0, r.getLong(1), "journal events of the warm-up sessions");
    }
    assertEquals("{\"live\":false,\"sessions\":[]}", get("/api/sessions/active").body());
    Eventually.await(
        "warm-up connections closed",
        Duration.ofSeconds(10),
        () -> value(get(metricsUrl, true).body(), "floorcast_ws_connections") == 0);
  }

  private static long out(String metrics, String type) {
    return (long) value(metrics, "floorcast_ws_messages_out_total{type=\"" + type + "\"}");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return get("http://127.0.0.1:" + node.httpPort() + path, false);
  }

  private static HttpResponse<String> get(String url, boolean expectOk) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (expectOk) assertEquals(200, r.statusCode(), url);
    return r;
  }
}
