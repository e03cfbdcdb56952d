package floorcast.ops;

import static floorcast.testing.PrometheusText.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.testing.WebSocketTestClient;
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
  private static WarmupTestNode node;

  @BeforeAll
  static void start() throws Exception {
    node =
        WarmupTestNode.start(
            Map.of(
                "floorcast.live.warmup-followers", FOLLOWERS,
                "floorcast.live.warmup-broadcasts", BROADCASTS,
                "floorcast.live.fanout-inline-followers", 8));
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
      assertEquals(503, node.get("/health/ready").statusCode(), "the watcher joined while the node was still warming up");

      Eventually.await("/health/ready = 200", Duration.ofSeconds(90), () -> node.get("/health/ready").statusCode() == 200);
      // counted as each connection writes the frame: at the first ready answer every broadcast is on every socket
      String metrics = node.metrics();
      int each = BROADCASTS / 4 * FOLLOWERS;
      assertEquals(each + FOLLOWERS, out(metrics, "NOW_PLAYING"), "a quarter of the broadcasts + the SUBSCRIBE snapshot, each follower");
      assertEquals(each, out(metrics, "LIKE_RECEIVED"), metrics);
      assertEquals(each, out(metrics, "LISTENER_COUNT"), metrics);
      for (String type :
          List.of(
              "POLL_STARTED", "POLL_UPDATE", "REACTION_RECEIVED", "ANNOUNCEMENT_RECEIVED", "METADATA_UPDATED",
              "POLL_ENDED", "ANNOUNCEMENT_CANCELLED", "DJ_STATUS", "TRACK_STOPPED")) {
        assertEquals(BROADCASTS / 40 * FOLLOWERS, out(metrics, type), type);
      }
      // and each NOW_PLAYING broadcast came with its TEMPO_RESET, as a track change publishes them together
      assertEquals(BROADCASTS / 40 * FOLLOWERS + each, out(metrics, "TEMPO_RESET"), "TEMPO_RESET");
      assertEquals(FOLLOWERS, value(metrics, "floorcast_ws_messages_in_total{type=\"SUBSCRIBE\"}"), metrics);

      // the lobby watcher got nothing of it (the warm-up sessions' messages go to their followers only)
      List<JsonNode> later = watcher.drain(Duration.ofMillis(500));
      assertEquals(List.of(), WebSocketTestClient.types(later));
      assertTrue(watcher.seen.stream().noneMatch(f -> f.path("sessionId").asText().startsWith("floorcast_warmup")));
    } finally {
      watcher.close();
    }

    // nothing of the warm-up sessions persisted or listed; its connections are closed
    assertEquals(0, node.queryLong("SELECT count(*) FROM event_journal WHERE persistence_id LIKE '%warmup_%'"),
        "journal events of the warm-up sessions");
    assertEquals("{\"live\":false,\"sessions\":[]}", node.get("/api/sessions/active").body());
    Eventually.await(
        "warm-up connections closed",
        Duration.ofSeconds(10),
        () -> value(node.metrics(), "floorcast_ws_connections") == 0);
  }

  private static long out(String metrics, String type) {
    return (long) value(metrics, "floorcast_ws_messages_out_total{type=\"" + type + "\"}");
  }
}
