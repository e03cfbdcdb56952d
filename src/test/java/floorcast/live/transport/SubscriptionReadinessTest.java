package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.ddata.Replicator;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pub/sub readiness condition on two real cluster nodes. Node A's receptionist is told to pass replicated
 * registrations to its topic actors only when the test flushes its replicator
 * ({@code notify-subscribers-interval = 1h} + {@link Replicator#flushChanges()}), so the test decides when A's topic
 * actors get to list node B's subscribers, and can show that B stays not ready exactly until then.
 */
class SubscriptionReadinessTest {
  static final int TOPICS = 4;
  static final Map<String, Object> FEW_TOPICS = Map.of("floorcast.live.topic-count", TOPICS);
  final List<TransportTestNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    for (int i = nodes.size() - 1; i >= 0; i--) nodes.get(i).close();
  }

  TransportTestNode start(Map<String, Object> overrides, TransportTestNode joinTo) throws Exception {
    ScriptedHandlers handlers = new ScriptedHandlers();
    TransportTestNode node = TransportTestNode.start(overrides, joinTo, null, handlers::factory, TestRenderer::render);
    nodes.add(node);
    return node;
  }

  static boolean ready(TransportTestNode node) {
    try {
      return node.gateway.subscriptionReadiness().check().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Ground truth, straight from the node's topic actors: how many instances each one publishes to. */
  static List<Integer> instanceCounts(TransportTestNode node) {
    try {
      return askInstanceCounts(node);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<Integer> askInstanceCounts(TransportTestNode node) throws Exception {
    ActorRefResolver resolver = ActorRefResolver.get(node.system);
    String base = Cluster.get(node.system).selfMember().address() + "/system/";
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < TOPICS; i++) paths.add(base + "floorcast-session-topic-" + i);
    paths.add(base + "floorcast-lobby-topic");
    List<Integer> counts = new ArrayList<>();
    for (String path : paths) {
      ActorRef<Topic.Command<Object>> topic = resolver.resolveActorRef(path);
      Topic.TopicStats stats =
          AskPattern.<Topic.Command<Object>, Topic.TopicStats>ask(
                  topic, Topic::getTopicStats, Duration.ofSeconds(5), node.system.scheduler())
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertEquals(1, stats.localSubscriberCount(), path);
      counts.add(stats.topicInstanceCount());
    }
    return counts;
  }

  static List<Integer> all(int n) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i <= TOPICS; i++) l.add(n);
    return l;
  }

  /** Lets node A's receptionist pass what its replicator holds to its subscribers (the topic actors) now. */
  static void flushReceptionist(TransportTestNode node) {
    node.system
        .classicSystem()
        .actorSelection("/system/clusterReceptionist/replicator")
        .tell(Replicator.flushChanges(), org.apache.pekko.actor.ActorRef.noSender());
  }

  static long up(ActorSystem<?> system) {
    long n = 0;
    for (var m : Cluster.get(system).state().getMembers()) if (m.status() == MemberStatus.up()) n++;
    return n;
  }

  @Test
  void aJoiningNodeIsNotReadyUntilTheOtherNodesTopicsListItsSubscribers() throws Exception {
    Map<String, Object> held = new java.util.HashMap<>(FEW_TOPICS);
    held.put("pekko.cluster.typed.receptionist.distributed-data.notify-subscribers-interval", "1h");
    TransportTestNode a = start(held, null);

    // alone, A is ready once its own topic actors list its own registrations
    assertFalse(ready(a), "A's topic actors have not seen any listing yet");
    assertEquals(all(0), instanceCounts(a));
    Await.until("A ready on its own", Duration.ofSeconds(30), () -> {
      flushReceptionist(a);
      return ready(a);
    });
    assertEquals(all(1), instanceCounts(a));

    TransportTestNode b = start(FEW_TOPICS, a);
    Await.until("both Up on both nodes", Duration.ofSeconds(30), () -> up(a.system) == 2 && up(b.system) == 2);
    // B's own topic actors come to list A and B by ordinary gossip: B's publishes would reach A ...
    Await.until("B's topics list both nodes", Duration.ofSeconds(30), () -> all(2).equals(instanceCounts(b)));
    // ... but A's topic actors still publish to A only, so a publish on A would miss B's dancers: B is not ready
    for (int i = 0; i < 3; i++) {
      assertFalse(ready(b), "B must not be ready while A's topics do not list it");
      assertEquals(all(1), instanceCounts(a));
    }
    assertTrue(ready(a), "once ready, a node stays ready");

    // A's topic actors learn of B (as soon as A's replicator has B's registrations): only then is B ready
    Await.until("B ready", Duration.ofSeconds(30), () -> {
      flushReceptionist(a);
      return ready(b);
    });
    assertEquals(all(2), instanceCounts(a));
    assertTrue(ready(b), "cached once reached");
  }
}
