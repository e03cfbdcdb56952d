package floorcast.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import floorcast.session.SessionEvent.DancerActionsRecorded;
import floorcast.session.SessionEvent.ListenerJoined;
import floorcast.session.SessionEvent.ListenerLeft;
import floorcast.session.SessionEvent.LikeAdded;
import floorcast.session.SessionEvent.PollVoteCast;
import floorcast.session.SessionEvent.TempoVoteSet;
import floorcast.session.SessionState.Live;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The state's persistent maps, their event-time pruning, and the snapshot format they keep. */
class SessionStateTest {
  private static final SessionSettings SETTINGS = SessionSettings.defaults();
  private static final Instant T0 = Instant.parse("2026-11-23T20:00:00Z");
  private static ActorSystem<Void> system;
  private static ObjectMapper json;

  @BeforeAll
  static void start() {
    // the node's serialization settings, but a local provider and no JVM exit when the system terminates
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "session-state-test",
            com.typesafe.config.ConfigFactory.parseString(
                    "pekko.actor.provider = local\npekko.coordinated-shutdown.exit-jvm = off")
                .withFallback(com.typesafe.config.ConfigFactory.load()));
    json = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", java.util.Optional.empty());
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static Live live() {
    return (Live)
        SessionState.empty()
            .apply(
                new SessionEvent.SessionCreated("s1", "DJ", null, "client_dj", false, T0, "0.3.0", "c1"), SETTINGS);
  }

  private static Live dancers(Live s, SessionEvent.DancerAction... actions) {
    return (Live) s.apply(new DancerActionsRecorded(List.of(actions), List.of()), SETTINGS);
  }

  @Test
  void applyingAnEventLeavesThePreviousStateUnchanged() {
    Live before = dancers(live(), new ListenerJoined("client_a", T0), new TempoVoteSet("client_a", "faster", T0));
    Live after =
        dancers(
            before,
            new ListenerJoined("client_b", T0.plusSeconds(1)),
            new TempoVoteSet("client_a", "slower", T0.plusSeconds(1)),
            new LikeAdded("client_b", "artist|title", T0.plusSeconds(1)));

    assertEquals(1, before.listeners().size());
    assertEquals("faster", before.tempoVotes().get("client_a").preference());
    assertTrue(before.likes().isEmpty());
    assertEquals(2, after.listeners().size());
    assertEquals("slower", after.tempoVotes().get("client_a").preference());
    assertTrue(after.hasLiked("client_b", "artist|title"));
  }

  @Test
  void staleVotesAndListenersArePrunedAtMostOncePerPruneInterval() {
    Live s = dancers(live(), new TempoVoteSet("client_old", "faster", T0), new ListenerJoined("client_l", T0));
    s = dancers(s, new ListenerLeft("client_l", T0));
    Instant afterLifetime = T0.plus(SETTINGS.tempoVoteLifetime()).plusSeconds(1);
    // the last scan was at T0: the first event past its lifetime and past the interval prunes
    s = dancers(s, new TempoVoteSet("client_new", "perfect", afterLifetime));
    assertFalse(s.tempoVotes().containsKey("client_old"), "a vote older than its lifetime is pruned");
    assertEquals(afterLifetime, s.prunedAt());

    Instant afterPurge = T0.plus(SETTINGS.listenerPurge()).plusSeconds(1);
    Live beforeScan = dancers(s, new TempoVoteSet("client_x", "faster", afterPurge));
    assertFalse(beforeScan.listeners().containsKey("client_l"), "an entry idle beyond the purge period goes");

    // within the interval after a scan, no scan: a stale entry may linger, and readers ignore it
    Live justScanned = beforeScan;
    Instant soon = justScanned.prunedAt().plus(SessionState.PRUNE_EVERY).minusMillis(1);
    Live lingering = dancers(justScanned, new TempoVoteSet("client_y", "faster", soon));
    assertEquals(justScanned.prunedAt(), lingering.prunedAt());
  }

  @Test
  void snapshotJsonKeepsPlainObjectsAndOlderSnapshotsWithoutPrunedAtStillRead() throws Exception {
    Live polled =
        (Live)
            live()
                .apply(
                    new SessionEvent.PollStarted(1, "Next?", List.of("a", "b"), null, null, null, T0, "m1"), SETTINGS);
    Live s =
        dancers(
            polled,
            new ListenerJoined("client_a", T0),
            new TempoVoteSet("client_a", "faster", T0),
            new PollVoteCast(1, "client_a", 0, T0));
    String written = json.writeValueAsString(s);
    ObjectNode tree = (ObjectNode) json.readTree(written);
    assertTrue(tree.get("listeners").isObject(), "maps are written as JSON objects");
    assertEquals(s, json.readValue(written, SessionState.class));
    assertEquals(List.of(1, 0), s.poll().tallies());

    tree.remove("prunedAt");
    Live older = (Live) json.treeToValue(tree, SessionState.class);
    assertNull(older.prunedAt());
    Live next = dancers(older, new ListenerJoined("client_b", T0.plus(Duration.ofSeconds(1))));
    assertEquals(2, next.listeners().size());
    assertEquals(T0.plusSeconds(1), next.prunedAt(), "a state without prunedAt scans on its next dancer event");
  }
}
