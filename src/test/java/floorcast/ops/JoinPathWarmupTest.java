package floorcast.ops;

import static floorcast.testing.PrometheusText.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
                "floorcast.live.warmup-connections", WARMUP,
                "floorcast.live.ws-rate-limit", PUBLIC_UPGRADES));
    metricsUrl = "http://127.0.0.1:" + ManagementServer.start(node.system()).port() + "/metrics";
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void readyOnlyAfterEveryWarmupJoinWasAnsweredAndNothingRemains() throws Exception {
    Eventually.await("/health/ready = 200", Duration.ofSeconds(90), () -> get("/health/ready").statusCode() == 200);
    // at the first ready answer every warm-up SUBSCRIBE has been handled (the warm-up takes seconds on a cold JVM;
    // a node that reported ready before it would show fewer here)
    String metrics = get(metricsUrl, true).body();
    assertEquals(WARMUP, value(metrics, "floorcast_ws_messages_in_total{type=\"SUBSCRIBE\"}"), metrics);

    // nothing of a session persisted: besides the persistence plugins' probe (PersistenceWarmup) only sharding's
    // bookkeeping (the coordinator, the shard of the entity the unknown-session joins woke); no session listed
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*), string_agg(DISTINCT persistence_id, ', ') FROM event_journal"
            + " WHERE persistence_id NOT LIKE 'floorcast-warmup|%' AND persistence_id NOT LIKE '/sharding/%'")) {
      r.next();
      assertEquals(0, r.getLong(1), "journal events of sessions after a warm-up on a fresh database: " + r.getString(2));
    }
    assertEquals("{\"live\":false,\"sessions\":[]}", get("/api/sessions/active").body());

    // the public /ws still has this IP's whole upgrade budget: the warm-up did not go through the limiter
    for (int i = 0; i < PUBLIC_UPGRADES; i++) WebSocketTestClient.connect(node.httpPort()).close();
    assertThrows(ExecutionException.class, () -> WebSocketTestClient.connect(node.httpPort()), "429 after the budget");
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
