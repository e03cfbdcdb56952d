package floorcast.ops;

import static floorcast.testing.PrometheusText.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import floorcast.testing.WebSocketTestClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node configured with a join-path warm-up runs its loopback joins before it reports ready, through the real
 * {@code /ws} pipeline, and leaves no trace: no session event in the journal, no session listed, the public per-IP upgrade budget unspent.
 */
class JoinPathWarmupTest {
  private static final int WARMUP = 200;
  private static final int PUBLIC_UPGRADES = 2; // floorcast.live.ws-rate-limit for this node
  private static WarmupTestNode node;

  @BeforeAll
  static void start() throws Exception {
    node =
        WarmupTestNode.start(
            Map.of(
                "floorcast.live.warmup-connections", WARMUP,
                "floorcast.live.ws-rate-limit", PUBLIC_UPGRADES));
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void readyOnlyAfterEveryWarmupJoinWasAnsweredAndNothingRemains() throws Exception {
    Eventually.await("/health/ready = 200", Duration.ofSeconds(90), () -> node.get("/health/ready").statusCode() == 200);
    // at the first ready answer every warm-up SUBSCRIBE has been handled (the warm-up takes seconds on a cold JVM;
    // a node that reported ready before it would show fewer here)
    String metrics = node.metrics();
    assertEquals(WARMUP, value(metrics, "floorcast_ws_messages_in_total{type=\"SUBSCRIBE\"}"), metrics);

    // nothing of a session persisted: besides the persistence plugins' probe (PersistenceWarmup) only sharding's
    // bookkeeping (the coordinator, the shard of the entity the unknown-session joins woke); no session listed
    String others = "FROM event_journal WHERE persistence_id NOT LIKE 'floorcast-warmup|%'"
        + " AND persistence_id NOT LIKE '/sharding/%'";
    assertEquals(0, node.queryLong("SELECT count(*) " + others),
        "journal events of sessions after a warm-up on a fresh database");
    assertEquals("{\"live\":false,\"sessions\":[]}", node.get("/api/sessions/active").body());

    // the public /ws still has this IP's whole upgrade budget: the warm-up did not go through the limiter
    for (int i = 0; i < PUBLIC_UPGRADES; i++) WebSocketTestClient.connect(node.httpPort()).close();
    assertThrows(ExecutionException.class, () -> WebSocketTestClient.connect(node.httpPort()), "429 after the budget");
  }
}
