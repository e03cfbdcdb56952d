package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.live.NodeFanout;
import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;
import floorcast.session.SessionSummary;
import floorcast.session.TrackInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cluster pub/sub fan-out across two real nodes (two ActorSystems in one JVM forming a cluster). */
class ClusterFanoutTest {
  static final AtomicInteger renders = new AtomicInteger();
  static TransportTestNode nodeA;
  static TransportTestNode nodeB;

  static String countingRenderer(SessionMessage m) {
    renders.incrementAndGet();
    return TestRenderer.render(m);
  }

  @BeforeAll
  static void start() throws Exception {
    ScriptedHandlers handlers = new ScriptedHandlers();
    nodeA = TransportTestNode.start(Map.of(), null, null, handlers::factory, ClusterFanoutTest::countingRenderer);
    nodeB = TransportTestNode.start(Map.of(), nodeA, null, handlers::factory, ClusterFanoutTest::countingRenderer);
    Await.until("two members up on both nodes", () -> countUp(nodeA) == 2 && countUp(nodeB) == 2);
  }

  static long countUp(TransportTestNode n) {
    long up = 0;
    for (org.apache.pekko.cluster.Member m : org.apache.pekko.cluster.typed.Cluster.get(n.system).state().getMembers()) {
      if (m.status() == org.apache.pekko.cluster.MemberStatus.up()) up++;
    }
    return up;
  }

  @AfterAll
  static void stop() {
    if (nodeB != null) nodeB.close();
    if (nodeA != null) nodeA.close();
  }

  static SessionFeed.Published published(String sessionId, long seq, SessionFeed.Audience audience, String target) {
    return new SessionFeed.Published(
        sessionId, new SessionMessage.NowPlaying(sessionId, seq, "dj", TrackInfo.of("title " + seq, "artist")), audience, target, 0);
  }

  /** Topic registrations spread by gossip: publish until the first one crosses, then rely on the topic. */
  static void publishUntilReceived(TransportTestNode from, RecordingListener on, String sessionId) {
    AtomicInteger probe = new AtomicInteger(1_000_000);
    Await.until(
        "first cross-node delivery",
        java.time.Duration.ofSeconds(60),
        () -> {
          if (!on.messages.isEmpty()) return true;
          from.gateway.publisher().publish(published(sessionId, probe.incrementAndGet(), SessionFeed.Audience.SESSION, null));
          sleep(200);
          return !on.messages.isEmpty();
        });
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms); // pacing of the probe publisher only, not a wait for a result
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void messagePublishedOnNodeAReachesFollowersOnNodeBRenderedOncePerNode() {
    NodeFanout fanoutB = nodeB.gateway.fanout();
    RecordingListener b1 = new RecordingListener("b1");
    RecordingListener b2 = new RecordingListener("b2");
    RecordingListener otherSession = new RecordingListener("b3");
    fanoutB.follow("cross-1", b1);
    fanoutB.follow("cross-1", b2);
    fanoutB.follow("cross-other", otherSession);
    publishUntilReceived(nodeA, b1, "cross-1");
    Await.until("b2 caught up", () -> b2.messages.size() == b1.messages.size());

    b1.messages.clear();
    b2.messages.clear();
    renders.set(0);
    nodeA.gateway.publisher().publish(published("cross-1", 7, SessionFeed.Audience.SESSION, null));
    Await.until("both followers on B", () -> b1.messages.size() == 1 && b2.messages.size() == 1);
    assertEquals(7, b1.messages.get(0).seq());
    assertTrue(b1.messages.get(0).json().contains("\"title\":\"title 7\""), b1.messages.get(0).json());
    assertTrue(b1.messages.get(0).json() == b2.messages.get(0).json(), "one rendering shared by the node's listeners");
    assertEquals(1, renders.get(), "rendered once on B (A has no follower)");
    assertTrue(otherSession.messages.isEmpty(), "another session's follower gets nothing");

    fanoutB.unfollow("cross-1", b2);
    nodeA.gateway.publisher().publish(published("cross-1", 8, SessionFeed.Audience.SESSION, null));
    Await.until("b1 got seq 8", () -> b1.messages.size() == 2);
    assertEquals(8, b1.messages.get(1).seq());
    assertEquals(1, b2.messages.size(), "unfollowed listener gets nothing more");
  }

  @Test
  void messagesPublishedTogetherCrossAsOneBatchAndReachEachFollowerTogetherInOrder() {
    NodeFanout fanoutB = nodeB.gateway.fanout();
    RecordingListener b1 = new RecordingListener("batch-b1");
    fanoutB.follow("cross-batch", b1);
    publishUntilReceived(nodeA, b1, "cross-batch");
    b1.messages.clear();
    b1.batches.clear();
    nodeA.gateway.publisher().publishAll(List.of(
        new SessionFeed.Published("cross-batch", new SessionMessage.TempoReset("cross-batch", 9), SessionFeed.Audience.SESSION, null, 0),
        published("cross-batch", 10, SessionFeed.Audience.SESSION, null)));
    Await.until("both messages on B", () -> b1.messages.size() == 2);
    assertEquals(List.of(9L, 10L), b1.seqs());
    assertEquals(List.of(2), b1.batches, "handed over together");
    assertTrue(b1.messages.get(0).message() instanceof SessionMessage.TempoReset, b1.messages.get(0).json());
  }

  @Test
  void djOnlyLobbyRecoveredAndRevokedAreRoutedToTheRightListeners() {
    NodeFanout fanoutB = nodeB.gateway.fanout();
    RecordingListener dj = new RecordingListener("dj-conn");
    RecordingListener dancer = new RecordingListener("dancer-conn");
    RecordingListener lobby = new RecordingListener("lobby-conn");
    RecordingListener both = new RecordingListener("both-conn");
    fanoutB.follow("routing-1", dj);
    fanoutB.follow("routing-1", dancer);
    fanoutB.follow("routing-1", both);
    fanoutB.watchLobby(lobby);
    fanoutB.watchLobby(both);
    publishUntilReceived(nodeA, dancer, "routing-1");
    Await.until("all followers caught up", () -> dj.messages.size() == dancer.messages.size() && both.messages.size() == dancer.messages.size());
    for (RecordingListener l : List.of(dj, dancer, lobby, both)) l.messages.clear();

    SessionMessage tempo = new SessionMessage.TempoFeedback("routing-1", 20, 1, 0, 0, 1);
    nodeA.gateway.publisher().publish(new SessionFeed.Published("routing-1", tempo, SessionFeed.Audience.DJ_ONLY, "dj-conn", 0));
    SessionMessage started = new SessionMessage.SessionStarted("routing-1", 21, "dj", Instant.parse("2026-01-01T00:00:00Z"));
    nodeA.gateway.publisher().publish(new SessionFeed.Published("routing-1", started, SessionFeed.Audience.LOBBY, null, 0));
    Await.until("lobby event everywhere", () -> lobby.hasJson("SessionStarted") && dancer.hasJson("SessionStarted") && both.hasJson("SessionStarted") && dj.hasJson("SessionStarted"));
    assertTrue(dj.hasJson("TempoFeedback"), "DJ-only reaches the DJ connection");
    assertTrue(!dancer.hasJson("TempoFeedback") && !both.hasJson("TempoFeedback") && !lobby.hasJson("TempoFeedback"));
    assertEquals(1, both.messages.stream().filter(m -> m.json().contains("SessionStarted")).count(), "follower + lobby watcher: once");

    // a session message is never sent to lobby watchers
    nodeA.gateway.publisher().publish(published("routing-1", 22, SessionFeed.Audience.SESSION, null));
    Await.until("dancer got seq 22", () -> dancer.messages.stream().anyMatch(m -> m.seq() == 22));
    assertTrue(lobby.messages.stream().noneMatch(m -> m.seq() == 22));

    nodeA.gateway.publisher().publish(new SessionFeed.Recovered("routing-1", "dj-conn"));
    nodeA.gateway.publisher().publish(new SessionFeed.DjRoleRevoked("routing-1", "dj-conn"));
    Await.until("recovered to all followers", () -> dj.recovered.size() == 1 && dancer.recovered.size() == 1 && both.recovered.size() == 1);
    Await.until("revoked to the former DJ", () -> dj.revoked.size() == 1);
    assertTrue(dancer.revoked.isEmpty() && lobby.recovered.isEmpty());
  }

  @Test
  void summariesPublishedOnOneNodeUpdateTheDirectoryOfEveryNode() {
    Instant t = Instant.parse("2026-01-01T10:00:00Z");
    SessionSummary older = new SessionSummary("dir-1", true, "DJ One", t, t, null, null, 3, true, null);
    SessionSummary newer = new SessionSummary("dir-2", true, "DJ Two", t.plusSeconds(60), t, null, null, 0, false, null);
    Await.until(
        "both directories see both sessions",
        java.time.Duration.ofSeconds(60),
        () -> {
          nodeA.gateway.publisher().summaryChanged(newer);
          nodeB.gateway.publisher().summaryChanged(older);
          sleep(200);
          return nodeA.gateway.directory().get("dir-1").isPresent() && nodeB.gateway.directory().get("dir-2").isPresent()
              && nodeA.gateway.directory().get("dir-2").isPresent() && nodeB.gateway.directory().get("dir-1").isPresent();
        });
    List<String> order = nodeB.gateway.directory().liveSessions().stream().map(SessionSummary::sessionId).filter(id -> id.startsWith("dir-")).toList();
    assertEquals(List.of("dir-1", "dir-2"), order, "oldest startedAt first");
    assertEquals(3, nodeA.gateway.directory().get("dir-1").orElseThrow().listenerCount());

    nodeA.gateway.publisher().summaryChanged(new SessionSummary("dir-1", false, "DJ One", t, t, null, null, 0, false, t.plusSeconds(90)));
    Await.until("ended session removed on B", () -> nodeB.gateway.directory().get("dir-1").isEmpty());
    Await.until("ended session removed on A", () -> nodeA.gateway.directory().get("dir-1").isEmpty());
    nodeB.gateway.directory().apply(older);
    assertTrue(nodeB.gateway.directory().get("dir-1").isEmpty(), "an ended session never becomes live again");
  }
}
