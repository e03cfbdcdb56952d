package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.http.javadsl.model.Uri;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real node with management on a free port: health, cluster routes, metrics and the guarded debug view. */
class ManagementServerTest {
  static final String TOKEN = "debug-token-for-test";
  static final EntityTypeKey<String> PROBE = EntityTypeKey.create(String.class, "OpsProbe");
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();
  static FloorcastNode node;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    node =
        TestNodes.single(
            TestDatabase.fresh(),
            Map.of(
                "floorcast.ops.debug.enabled", "on",
                "floorcast.ops.debug.token", TOKEN,
                "floorcast.ops.shard-gauge-interval", "1s",
                // readiness waits for this test's sharded entity type (DjSession is the session code's)
                "pekko.cluster.sharding.healthcheck.names", List.of(PROBE.name())));
    ClusterSharding.get(node.system())
        .init(Entity.of(PROBE, ctx -> Behaviors.receiveMessage(m -> Behaviors.same())));
    ClusterSharding.get(node.system()).entityRefFor(PROBE, "entity-1").tell("start");
    Uri uri = ManagementServer.start(node.system());
    assertNotNull(uri);
    base = "http://127.0.0.1:" + uri.port();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) b.headers(headers);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void startIsIdempotent() throws Exception {
    assertEquals(base, "http://127.0.0.1:" + ManagementServer.start(node.system()).port());
  }

  @Test
  void aliveAndReadyWithDatabaseCheck() throws Exception {
    assertEquals(200, get("/alive").statusCode());
    Eventually.await("/ready = 200", Duration.ofSeconds(60), () -> get("/ready").statusCode() == 200);
  }

  @Test
  void clusterMembersListsThisNodeUp() throws Exception {
    Eventually.await(
        "self Up in /cluster/members",
        Duration.ofSeconds(60),
        () -> {
          JsonNode members = json.readTree(get("/cluster/members").body());
          String self = members.get("selfNode").asText();
          for (JsonNode m : members.get("members")) {
            if (m.get("node").asText().equals(self)) return m.get("status").asText().equals("Up");
          }
          return false;
        });
  }

  @Test
  void shardRoutesAndGaugesSeeTheLocalEntity() throws Exception {
    Eventually.await(
        "/cluster/shards/OpsProbe lists the one shard with its entity",
        Duration.ofSeconds(60),
        () -> {
          HttpResponse<String> r = get("/cluster/shards/" + PROBE.name());
          if (r.statusCode() != 200) return false;
          JsonNode shards = json.readTree(r.body()).get("regions"); // one entry per shard of the local region
          return shards.size() == 1 && shards.get(0).get("numEntities").asInt() == 1;
        });
    // the node also hosts other sharded types (session entities, the read-side projection's daemon workers):
    // the gauge must equal the sum of every local type's entities in the debug view
    Eventually.await(
        "entity gauge counts the running entities of every local type",
        Duration.ofSeconds(60),
        () -> {
          JsonNode sharding =
              json.readTree(get("/debug/node", "Authorization", "Bearer " + TOKEN).body()).get("sharding");
          int total = 0;
          for (JsonNode type : sharding) total += type.get("entityCount").asInt();
          return sharding.get("OpsProbe") != null
              && get("/metrics").body().contains("floorcast_sharding_entities " + total + ".0");
        });
    JsonNode probe =
        json.readTree(get("/debug/node", "Authorization", "Bearer " + TOKEN).body()).get("sharding").get("OpsProbe");
    assertEquals(1, probe.get("entityCount").asInt());
    assertEquals(1, probe.get("shardCount").asInt());
  }

  @Test
  void metricsExposeJvmAndFloorcastMetersWithoutUnboundedLabels() throws Exception {
    NodeMetrics metrics = NodeMetrics.get(node.system().classicSystem());
    metrics.messageIn("SUBSCRIBE");
    metrics.messageIn("not a type!");
    for (int i = 0; i < 100; i++) metrics.messagesOut("TYPE_" + i, 1);
    metrics.connectionOpened();
    metrics.fanoutLatency(Duration.ofMillis(12));
    metrics.commandHandled("LIKE_TRACK", true, Duration.ofMillis(3));

    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
    String body = r.body();
    for (String expected :
        List.of(
            "jvm_memory_used_bytes",
            "jvm_gc_",
            "jvm_threads_live_threads",
            "process_files_open_files",
            "floorcast_ws_connections ",
            "floorcast_ws_messages_in_total{type=\"SUBSCRIBE\"} 1.0",
            "floorcast_ws_messages_in_total{type=\"other\"} 1.0",
            "floorcast_fanout_latency_seconds_bucket",
            "floorcast_commands_total{result=\"ack\",type=\"LIKE_TRACK\"} 1.0",
            "floorcast_journal_persist_latency_seconds_count",
            "floorcast_sharding_entities ",
            "floorcast_cluster_members{status=\"Up\"} 1.0",
            "floorcast_cluster_unreachable 0.0")) {
      assertTrue(body.contains(expected), "missing " + expected);
    }
    long outSeries = body.lines().filter(l -> l.startsWith("floorcast_ws_messages_out_total{")).count();
    assertTrue(outSeries <= 65, "message type label is bounded, got " + outSeries + " series");
  }

  @Test
  void debugViewNeedsTheToken() throws Exception {
    assertEquals(401, get("/debug/node").statusCode());
    assertEquals(401, get("/debug/node", "Authorization", "Bearer wrong").statusCode());
    assertEquals(401, get("/debug/node", "Authorization", "Basic " + TOKEN).statusCode());

    HttpResponse<String> r = get("/debug/node", "Authorization", "Bearer " + TOKEN);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode view = json.readTree(r.body());
    assertEquals(node.system().address().toString(), view.get("node").asText());
    assertTrue(view.get("sharding").isObject());
  }

  @Test
  void debugViewShowsTheGatewaysNodeStats() throws Exception {
    NodeStatsRegistry registry = NodeStatsRegistry.get(node.system().classicSystem());
    assertSame(registry, NodeStatsRegistry.get(node.system().classicSystem()));
    registry.supply(() -> new NodeStats(5, Map.of("pika_abc", 3, "pika_def", 2)));

    JsonNode view =
        json.readTree(get("/debug/node", "Authorization", "Bearer " + TOKEN).body()).get("connections");
    assertTrue(view.get("available").asBoolean());
    assertEquals(5, view.get("total").asInt());
    assertEquals(3, view.get("bySession").get("pika_abc").asInt());
    assertFalse(view.get("bySession").has("pika_xyz"));
  }
}
