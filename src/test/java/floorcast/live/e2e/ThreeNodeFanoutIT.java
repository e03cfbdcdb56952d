package floorcast.live.e2e;

import static floorcast.testing.WebSocketTestClient.last;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.ops.DatabaseSettings;
import floorcast.ops.FloorcastNode;
import floorcast.ops.ManagementServer;
import floorcast.session.SessionSharding;
import floorcast.testing.ClusterSystems;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import floorcast.testing.WebSocketTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three complete nodes on one database in one cluster: a DJ on node 1, dancers on nodes 2 and 3, the session entity
 * wherever sharding puts it. Every dancer gets every update in seq order (protocol.md §1.4, §1.5); when the node
 * hosting the entity leaves, the session continues on the survivors and nothing acknowledged is lost (§7.6, §15).
 * Clients connect only once every node reports ready on its management {@code /ready}, which includes this node's
 * pub/sub subscriptions being known cluster-wide (right after a join they are still spreading by gossip, and a
 * lobby event published then would miss the new node's watchers).
 */
class ThreeNodeFanoutIT {
  private static final int DANCERS_PER_NODE = 4;
  private static final String SESSION = "pika_1736972400000_fanout3n";
  private static final String DJ_CLIENT = "client_1736970000000_djfanout";
  private static final FloorcastNode[] nodes = new FloorcastNode[3];

  @BeforeAll
  static void start() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    Map<String, Object> base = Map.of("floorcast.session.track-throttle", "1s");
    nodes[0] = TestNodes.single(db, E2eNodes.overrides(base));
    String seed = Cluster.get(nodes[0].system()).selfMember().address().toString();
    Map<String, Object> joining = new HashMap<>(base);
    joining.put("pekko.cluster.seed-nodes", List.of(seed));
    nodes[1] = TestNodes.single(db, E2eNodes.overrides(joining));
    nodes[2] = TestNodes.single(db, E2eNodes.overrides(joining));
    ClusterSystems.await(
        Duration.ofSeconds(60),
        () -> {
          int up = 0;
          for (var m : Cluster.get(nodes[0].system()).state().getMembers()) if (m.status() == MemberStatus.up()) up++;
          return up == 3;
        });
    // what a load balancer waits for before it sends clients to a node
    for (FloorcastNode node : nodes) {
      int management = ManagementServer.start(node.system()).port();
      E2eNodes.await(Duration.ofSeconds(60), "/ready on port " + management, () -> ready(management));
    }
  }

  private static boolean ready(int managementPort) {
    try {
      return E2eNodes.get(managementPort, "/ready").statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  @AfterAll
  static void stop() {
    for (FloorcastNode n : nodes) if (n != null) n.close();
  }

  private static boolean hosts(FloorcastNode node, String sessionId) {
    try {
      var region = ClusterSharding.get(node.system().classicSystem()).shardRegion(SessionSharding.TYPE_KEY.name());
      Object reply =
          Patterns.ask(region, ShardRegion.getShardRegionStateInstance(), Duration.ofSeconds(5))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      for (ShardRegion.ShardState shard : ((ShardRegion.CurrentShardRegionState) reply).getShards()) {
        if (shard.getEntityIds().contains(sessionId)) return true;
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private static String track(int n) {
    return "{\"title\":\"Track " + n + "\",\"artist\":\"Fanout Band\",\"bpm\":" + (90 + n) + "}";
  }

  /** ACK-tracked broadcast, retried like a DJ client while the throttle or a hand-over refuses it. */
  private static void broadcast(WebSocketTestClient dj, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String messageId = "msg_fanout_" + n;
    while (true) {
      dj.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + SESSION + "\",\"track\":" + track(n) + ",\"messageId\":\"" + messageId + "\"}");
      JsonNode answer = last(dj.until("messageId", messageId));
      if (answer.path("type").asText().equals("ACK")) return;
      String code = answer.path("code").asText();
      assertTrue(code.equals("rate_limited") || code.equals("internal_error"), answer.toString());
      assertTrue(System.nanoTime() < deadline, "track " + n + " never accepted: " + answer);
      Thread.sleep(300);
    }
  }

  private static WebSocketTestClient subscribe(int node, String clientId, long lastSeq) throws Exception {
    WebSocketTestClient dancer = WebSocketTestClient.connect(nodes[node].httpPort());
    dancer.send("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + SESSION + "\",\"clientId\":\"" + clientId + "\""
        + (lastSeq > 0 ? ",\"lastSeq\":" + lastSeq : "") + ",\"messageId\":\"sub\"}");
    List<JsonNode> snapshot = dancer.until("messageId", "sub");
    assertEquals("ACK", last(snapshot).get("type").asText(), snapshot.toString());
    for (JsonNode f : snapshot) {
      if (f.has("seq")) assertTrue(f.get("seq").asLong() > lastSeq, "snapshot seq above lastSeq " + lastSeq + ": " + f);
    }
    return dancer;
  }

  private static long lastSeq(WebSocketTestClient client) {
    long seq = 0;
    synchronized (client.seen) {
      for (JsonNode f : client.seen) if (f.has("seq")) seq = Math.max(seq, f.get("seq").asLong());
    }
    return seq;
  }

  @Test
  void everyDancerGetsEveryTrackAndTheSessionSurvivesItsHostLeaving() throws Exception {
    // lobby watchers on every node see SESSION_STARTED cluster-wide (§1.4)
    List<WebSocketTestClient> lobbies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      WebSocketTestClient lobby = WebSocketTestClient.connect(nodes[i].httpPort());
      lobby.send("{\"type\":\"GET_SESSIONS\",\"messageId\":\"g\"}");
      lobby.until("ACK");
      lobbies.add(lobby);
    }

    int djNode = 0;
    WebSocketTestClient dj = WebSocketTestClient.connect(nodes[djNode].httpPort());
    dj.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + SESSION + "\",\"djName\":\"DJ Fanout\",\"clientId\":\"" + DJ_CLIENT + "\",\"messageId\":\"r1\"}");
    assertEquals("ACK", last(dj.until("messageId", "r1")).get("type").asText());
    for (WebSocketTestClient lobby : lobbies) assertEquals("DJ Fanout", last(lobby.until("SESSION_STARTED", "sessionId", SESSION)).get("djName").asText());

    Map<String, WebSocketTestClient> dancers = new LinkedHashMap<>();
    Map<String, Integer> dancerNode = new HashMap<>();
    for (int node = 1; node <= 2; node++) {
      for (int i = 0; i < DANCERS_PER_NODE; i++) {
        String clientId = "client_1736970000000_n" + node + "d" + i;
        dancers.put(clientId, subscribe(node, clientId, 0));
        dancerNode.put(clientId, node);
      }
    }

    for (int n = 1; n <= 3; n++) {
      broadcast(dj, n);
      for (WebSocketTestClient d : dancers.values()) assertEquals("Track " + n, last(d.until("NOW_PLAYING")).get("track").get("title").asText());
    }
    for (WebSocketTestClient d : dancers.values()) WireShapes.checkAll(d.seen, new HashMap<>());

    // the node hosting the entity leaves (gracefully: 1012 to its sockets, shards handed over, §7.6)
    int host = -1;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (host < 0 && System.nanoTime() < deadline) {
      for (int i = 0; i < 3; i++) if (hosts(nodes[i], SESSION)) host = i;
    }
    assertTrue(host >= 0, "no node reports the session entity");
    int survivor = host == 1 ? 2 : 1;
    System.out.println("session entity hosted on node " + (host + 1) + " (DJ on node 1); stopping it");
    nodes[host].close();
    nodes[host] = null;

    if (host == djNode) {
      assertEquals(1012, dj.awaitClose().code());
      dj = WebSocketTestClient.connect(nodes[survivor].httpPort());
      dj.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + SESSION + "\",\"djName\":\"DJ Fanout\",\"clientId\":\"" + DJ_CLIENT + "\",\"messageId\":\"r2\"}");
      JsonNode reg = dj.until("type", "SESSION_REGISTERED").get(0);
      assertTrue(reg.get("resumed").asBoolean(), reg.toString());
      djNode = survivor;
    }
    for (Map.Entry<String, WebSocketTestClient> e : dancers.entrySet()) {
      if (dancerNode.get(e.getKey()) != host) continue;
      WebSocketTestClient old = e.getValue();
      WebSocketTestClient.Closed closed = old.awaitClose();
      assertEquals(1012, closed.code(), closed.toString());
      old.drain(Duration.ofMillis(50));
      WireShapes.checkAll(old.seen, new HashMap<>());
      // §15: a reconnecting dancer resubscribes elsewhere with the last applied seq
      e.setValue(subscribe(survivor, e.getKey(), lastSeq(old)));
    }

    broadcast(dj, 4);
    for (WebSocketTestClient d : dancers.values()) assertEquals("Track 4", last(d.until("NOW_PLAYING")).get("track").get("title").asText());
    for (WebSocketTestClient d : dancers.values()) WireShapes.checkAll(d.seen, new HashMap<>());

    dj.send("{\"type\":\"END_SESSION\",\"sessionId\":\"" + SESSION + "\",\"messageId\":\"end\"}");
    assertEquals("ACK", last(dj.until("messageId", "end")).get("type").asText());
    for (int i = 0; i < 3; i++) {
      if (i == host) continue;
      JsonNode ended = last(lobbies.get(i).until("SESSION_ENDED", "sessionId", SESSION));
      assertTrue(ended.has("seq"), ended.toString());
      WireShapes.checkAll(lobbies.get(i).seen, new HashMap<>());
    }

    // nothing acknowledged is lost: four plays in the read side once the projection caught up (rest.md §4.3)
    int port = nodes[survivor].httpPort();
    E2eNodes.await(Duration.ofSeconds(60), "four plays in the history", () -> plays(port) >= 4);
    JsonNode history = WebSocketTestClient.JSON.readTree(E2eNodes.get(port, "/api/session/" + SESSION + "/history").body());
    List<String> titles = new ArrayList<>();
    for (JsonNode play : history) titles.add(play.get("title").asText());
    assertEquals(List.of("Track 4", "Track 3", "Track 2", "Track 1"), titles);
    dj.close();
    for (WebSocketTestClient d : dancers.values()) d.close();
    for (WebSocketTestClient l : lobbies) l.close();
  }

  private static int plays(int port) {
    try {
      return WebSocketTestClient.JSON.readTree(E2eNodes.get(port, "/api/session/" + SESSION + "/history").body()).size();
    } catch (Exception e) {
      return -1;
    }
  }
}
