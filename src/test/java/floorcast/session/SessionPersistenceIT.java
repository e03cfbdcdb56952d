package floorcast.session;

import static org.junit.jupiter.api.Assertions.*;

import floorcast.ops.DatabaseSettings;
import floorcast.testing.ClusterSystems;
import floorcast.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session entity on the real journal (PostgreSQL): recovery in a fresh ActorSystem, hand-off when a node leaves,
 * and durable timers across a whole-cluster restart.
 */
class SessionPersistenceIT {
  static final Duration ASK = Duration.ofSeconds(15);
  final List<ActorSystem<?>> systems = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (ActorSystem<?> s : systems) {
      s.terminate();
      s.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** A publisher that hands everything to a probe (the probe may live on another member of the cluster). */
  record ForwardingPublisher(ActorRef<SessionFeed> feed) implements SessionPublisher {
    @Override
    public void publish(SessionFeed f) {
      feed.tell(f);
    }

    @Override
    public void summaryChanged(SessionSummary summary) {}
  }

  ActorSystem<Void> node(DatabaseSettings db, Address seed, SessionSettings settings, ActorRef<SessionFeed> feed) {
    ActorSystem<Void> s = ClusterSystems.start("node", db, seed, Map.of());
    systems.add(s);
    SessionSharding.init(s, settings, new ForwardingPublisher(feed), SessionMetrics.NONE, SnapshotRetention.KEEP_ALL);
    return s;
  }

  static SessionSettings withSnapshotEvery(int n) {
    SessionSettings s = SessionSettings.defaults();
    return new SessionSettings(s.djGrace(), s.trackThrottle(), s.dedupWindow(), s.dedupMaxIds(), s.likesPerMinute(),
        s.bulkLikesPerMinute(), s.bulkLikeMaxTracks(), s.actionsPerMinute(), s.tempoVoteLifetime(), s.tempoRecheck(),
        s.listenerSticky(), s.listenerPurge(), s.djSilentTakeover(), s.reattachWindow(), s.staleIdle(), s.staleAge(),
        s.maxAge(), s.staleCheck(), s.likeWindow(), s.reactionWindow(), s.pollUpdateWindow(), s.tempoWindow(),
        s.listenerWindow(), s.idlePassivation(), s.seqBlock(), n);
  }

  static <T> T ask(EntityRef<SessionCommand> ref, java.util.function.Function<ActorRef<T>, SessionCommand> msg) throws Exception {
    return ref.<T>ask(msg::apply, ASK).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static void register(EntityRef<SessionCommand> ref, String conn) throws Exception {
    SessionReply r = ask(ref, to -> new SessionCommand.Register(conn, "DJ Test", null, null, "client_dj_owner1", "0.3.0", false, false, to));
    assertInstanceOf(SessionReply.Accepted.class, r);
  }

  @ParameterizedTest(name = "snapshot every {0} events")
  @ValueSource(ints = {100, 1_000_000})
  void aSessionWithThousandsOfEventsRecoversIdenticallyInAFreshSystem(int snapshotEvery) throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    SessionSettings settings = withSnapshotEvery(snapshotEvery);
    ActorSystem<Void> a = node(db, null, settings, TestProbe.<SessionFeed>create(observer()).getRef());
    String id = "pika_recovery_" + snapshotEvery;
    EntityRef<SessionCommand> ref = SessionSharding.entityRef(a, id);
    register(ref, "a#1");
    SessionReply track = ask(ref, to -> new SessionCommand.BroadcastTrack("a#1", "m-1", TrackInfo.of("Sway", "Rosie Carney"), to));
    assertInstanceOf(SessionReply.Accepted.class, track);
    ask(ref, (ActorRef<SessionReply> to) -> new SessionCommand.StartPoll("a#1", "m-2", 7, "Next?", List.of("A", "B", "C"), 300, to));
    // 2,500 batches (one journal event each), pipelined 50 at a time: the entity still applies them one by one
    List<java.util.concurrent.CompletableFuture<DancerBatchReply>> window = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      String client = "client_" + i + "_load";
      List<DancerRequest> reqs = List.of(
          new DancerRequest.Subscribe("c#" + i, client, null),
          new DancerRequest.Like(client, TrackInfo.of("Sway", "Rosie Carney"), "like-" + i),
          new DancerRequest.TempoVote(client, i % 3 == 0 ? "faster" : "perfect", null),
          new DancerRequest.PollVote(client, 7, i % 3, null));
      window.add(ref.<DancerBatchReply>ask(to -> new SessionCommand.DancerBatch(reqs, to), ASK).toCompletableFuture());
      if (window.size() == 50 || i == 2_499) {
        for (var f : window) assertEquals(4, f.get(30, TimeUnit.SECONDS).results().size());
        window.clear();
      }
    }
    SessionState before = ask(ref, SessionCommand.GetState::new);
    SessionState.Live live = (SessionState.Live) before;
    assertEquals(2_500, live.likes().size());
    assertEquals(2_500, live.poll().totalVotes());
    a.terminate();
    a.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    systems.remove(a);

    ActorSystem<Void> b = node(db, null, settings, TestProbe.<SessionFeed>create(observer()).getRef());
    SessionState after = ask(SessionSharding.entityRef(b, id), SessionCommand.GetState::new);
    assertEquals(before, after);
  }

  /**
   * Snapshots land on dancer batches, never on a DJ command at the boundary (whose ACK and broadcasts Pekko would
   * hold until the snapshot is stored), except after a whole block without dancer batches; the node's retention
   * keeps the newest two; the session recovers from them identically.
   */
  @Test
  void snapshotsLandOnDancerBatchesAndOnlyTheNewestTwoAreKept() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    javax.sql.DataSource ds = TestDatabase.dataSource(db);
    java.util.concurrent.ExecutorService jdbc = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      SessionSettings settings = withSnapshotEvery(10);
      SnapshotRetention retention = new floorcast.ops.JdbcSnapshotRetention(ds, jdbc, 2);
      ActorSystem<Void> a = ClusterSystems.start("node", db, null, Map.of());
      systems.add(a);
      SessionSharding.init(a, settings, new ForwardingPublisher(TestProbe.<SessionFeed>create(observer()).getRef()),
          SessionMetrics.NONE, retention);
      String id = "pika_snapshot_moments";
      String pid = "DjSession|" + id;
      EntityRef<SessionCommand> ref = SessionSharding.entityRef(a, id);
      register(ref, "a#1");
      int announcements = 0;
      // DJ commands only, up to sequence number 25: the first block boundary (10) passes without a snapshot, the
      // second (20) is a whole block later and takes one on whatever event it is
      while (journalHighest(ds, pid) < 25) {
        final int n = ++announcements;
        assertInstanceOf(SessionReply.Accepted.class,
            ask(ref, (ActorRef<SessionReply> to) -> new SessionCommand.SendAnnouncement("a#1", "ann-" + n, "Note " + n, null, to)));
      }
      TestProbe<Void> wait = TestProbe.create(a);
      wait.awaitAssert(Duration.ofSeconds(10), () -> {
        assertEquals(List.of(20L), snapshotSeqs(ds, pid));
        return null;
      });
      assertEquals("floorcast.session.SessionEvent$AnnouncementSet", manifestAt(ds, pid, 20));
      // dancer batches and DJ commands mixed: every later snapshot is a dancer batch's
      for (int i = 0; i < 60; i++) {
        String client = "client_" + i + "_snap";
        List<DancerRequest> requests = List.of(new DancerRequest.Subscribe("c#" + i, client, null),
            new DancerRequest.Like(client, TrackInfo.of("Sway", "Rosie Carney"), "like-" + i));
        ref.<DancerBatchReply>ask(to -> new SessionCommand.DancerBatch(requests, to), ASK)
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        final int n = ++announcements;
        ask(ref, (ActorRef<SessionReply> to) -> new SessionCommand.SendAnnouncement("a#1", "ann-" + n, "Note " + n, null, to));
      }
      long highest = journalHighest(ds, pid);
      assertTrue(highest >= 140, "journal at " + highest);
      wait.awaitAssert(Duration.ofSeconds(10), () -> {
        List<Long> kept = snapshotSeqs(ds, pid);
        assertEquals(2, kept.size(), "snapshots kept: " + kept);
        assertTrue(kept.get(1) > highest - 10, "newest snapshot " + kept + " within the last block of " + highest);
        return null;
      });
      for (long seq : snapshotSeqs(ds, pid)) {
        assertEquals("floorcast.session.SessionEvent$DancerActionsRecorded", manifestAt(ds, pid, seq), "snapshot at " + seq);
      }
      SessionState before = ask(ref, SessionCommand.GetState::new);
      a.terminate();
      a.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      systems.remove(a);
      ActorSystem<Void> b = node(db, null, settings, TestProbe.<SessionFeed>create(observer()).getRef());
      EntityRef<SessionCommand> again = SessionSharding.entityRef(b, id);
      assertEquals(before, ask(again, SessionCommand.GetState::new));

      // DJ commands only, past the next block boundary, then a restart: the new incarnation counts from the
      // snapshot it recovered from (not from the journal's end), so the forced snapshot still comes two blocks after it
      long newest = snapshotSeqs(ds, pid).get(1);
      long nextBoundary = (newest / 10 + 1) * 10;
      register(again, "b#1");
      while (journalHighest(ds, pid) <= nextBoundary) {
        final int n = ++announcements;
        assertInstanceOf(SessionReply.Accepted.class,
            ask(again, (ActorRef<SessionReply> to) -> new SessionCommand.SendAnnouncement("b#1", "ann-" + n, "Note " + n, null, to)));
      }
      assertEquals(newest, snapshotSeqs(ds, pid).get(snapshotSeqs(ds, pid).size() - 1), "no snapshot on DJ commands yet");
      b.terminate();
      b.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      systems.remove(b);
      ActorSystem<Void> c = node(db, null, settings, TestProbe.<SessionFeed>create(observer()).getRef());
      EntityRef<SessionCommand> third = SessionSharding.entityRef(c, id);
      register(third, "c#1");
      long forced = nextBoundary + 10;
      while (journalHighest(ds, pid) < forced + 1) {
        final int n = ++announcements;
        assertInstanceOf(SessionReply.Accepted.class,
            ask(third, (ActorRef<SessionReply> to) -> new SessionCommand.SendAnnouncement("c#1", "ann-" + n, "Note " + n, null, to)));
      }
      TestProbe<Void> waitC = TestProbe.create(c);
      waitC.awaitAssert(Duration.ofSeconds(10), () -> {
        assertTrue(snapshotSeqs(ds, pid).contains(forced), "snapshots " + snapshotSeqs(ds, pid) + ", expected one at " + forced);
        return null;
      });
    } finally {
      jdbc.shutdown();
    }
  }

  static long journalHighest(javax.sql.DataSource ds, String pid) throws java.sql.SQLException {
    try (var c = ds.getConnection();
        var st = c.prepareStatement("SELECT coalesce(max(sequence_number), 0) FROM event_journal WHERE persistence_id = ?")) {
      st.setString(1, pid);
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static List<Long> snapshotSeqs(javax.sql.DataSource ds, String pid) throws java.sql.SQLException {
    try (var c = ds.getConnection();
        var st = c.prepareStatement("SELECT sequence_number FROM snapshot WHERE persistence_id = ? ORDER BY 1")) {
      st.setString(1, pid);
      List<Long> seqs = new ArrayList<>();
      try (var rs = st.executeQuery()) {
        while (rs.next()) seqs.add(rs.getLong(1));
      }
      return seqs;
    }
  }

  static String manifestAt(javax.sql.DataSource ds, String pid, long seq) throws java.sql.SQLException {
    try (var c = ds.getConnection();
        var st = c.prepareStatement(
            "SELECT event_ser_manifest FROM event_journal WHERE persistence_id = ? AND sequence_number = ?")) {
      st.setString(1, pid);
      st.setLong(2, seq);
      try (var rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** A probe's home: a separate cluster-capable system that outlives the members under test. */
  static ActorSystem<Void> observerSystem;

  static synchronized ActorSystem<Void> observer() {
    if (observerSystem == null) {
      observerSystem = ActorSystem.create(org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "observer",
          ClusterSystems.config(TestDatabase.fresh(), Map.of("pekko.actor.provider", "cluster")));
    }
    return observerSystem;
  }

  @Test
  void sessionsResumeOnTheRemainingNodeWhenANodeLeavesAndTheirTimersStillFire() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    SessionSettings settings = SessionSettings.defaults();
    TestProbe<SessionFeed> feed = TestProbe.create(observer());
    ActorSystem<Void> a = node(db, null, settings, feed.getRef());
    ActorSystem<Void> b = node(db, ClusterSystems.address(a), settings, feed.getRef());
    int sessions = 10;
    Instant pollEnds = null;
    for (int i = 0; i < sessions; i++) {
      EntityRef<SessionCommand> ref = SessionSharding.entityRef(b, "pika_handoff_" + i);
      register(ref, "b#" + i);
      final int n = i;
      ask(ref, (ActorRef<SessionReply> to) -> new SessionCommand.BroadcastTrack("b#" + n, "t-" + n, TrackInfo.of("Track " + n, "Artist"), to));
      ask(ref, (ActorRef<SessionReply> to) -> new SessionCommand.StartPoll("b#" + n, "p-" + n, 100 + n, "Q?", List.of("x", "y"), 12, to));
      pollEnds = Instant.now().plusSeconds(12);
    }
    // the oldest member (coordinator) leaves: its shards are handed off to b
    a.terminate();
    a.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    systems.remove(a);
    for (int i = 0; i < sessions; i++) {
      SessionState st = ask(SessionSharding.entityRef(b, "pika_handoff_" + i), SessionCommand.GetState::new);
      SessionState.Live live = (SessionState.Live) st;
      assertEquals("Track " + i, live.currentTrack().title());
      assertEquals(100 + i, live.poll().id());
    }
    java.util.Set<Long> ended = new java.util.HashSet<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (ended.size() < sessions && System.nanoTime() < deadline) {
      SessionFeed f = feed.receiveMessage(Duration.ofSeconds(30));
      if (f instanceof SessionFeed.Published p && p.message() instanceof SessionMessage.PollEnded pe) ended.add(pe.pollId());
    }
    assertEquals(sessions, ended.size());
    assertTrue(Instant.now().isBefore(pollEnds.plusSeconds(20)));
  }

  @Test
  void aPollTimerFiresOnTimeAfterTheWholeClusterRestartedWithoutAnyMessage() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    SessionSettings settings = SessionSettings.defaults();
    TestProbe<SessionFeed> feed = TestProbe.create(observer());
    ActorSystem<Void> a = node(db, null, settings, feed.getRef());
    EntityRef<SessionCommand> ref = SessionSharding.entityRef(a, "pika_durable_timer");
    register(ref, "a#1");
    Instant started = Instant.now();
    ask(ref, (ActorRef<SessionReply> to) -> new SessionCommand.StartPoll("a#1", "p-1", 900, "Q?", List.of("x", "y"), 10, to));
    Instant endsAt = ((SessionState.Live) ask(ref, SessionCommand.GetState::new)).poll().endsAt();
    assertFalse(endsAt.isBefore(started.plusSeconds(10)));
    a.terminate();
    a.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    systems.remove(a);

    // a fresh cluster on the same database; nobody talks to the session: remembered entities restart it
    node(db, null, settings, feed.getRef());
    SessionMessage.PollEnded pe = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (pe == null && System.nanoTime() < deadline) {
      SessionFeed f = feed.receiveMessage(Duration.ofSeconds(60));
      if (f instanceof SessionFeed.Published p && p.message() instanceof SessionMessage.PollEnded e) pe = e;
    }
    assertNotNull(pe);
    Instant firedAt = Instant.now();
    assertEquals(900, pe.pollId());
    assertFalse(firedAt.isBefore(endsAt), "not before endsAt");
    assertTrue(firedAt.isBefore(endsAt.plusSeconds(5)), "within 5 s of endsAt, fired at " + firedAt + " for " + endsAt);
  }

  /**
   * A database outage long enough to open the journal's and the snapshot store's circuit breakers: the sessions that
   * failed meanwhile come back, and a poll timer that fell due during the outage fires, within seconds of the database
   * returning (with Pekko's default 60 s snapshot-store reset they stayed down for a minute: issue #7).
   */
  @Test
  void sessionsAndADuePollTimerComeBackWithinSecondsOfADatabaseOutage() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    String name = TestDatabase.name(db);
    TestProbe<SessionFeed> feed = TestProbe.create(observer());
    ActorSystem<Void> a = node(db, null, SessionSettings.defaults(), feed.getRef());
    int sessions = 10;
    for (int i = 0; i < sessions; i++) register(SessionSharding.entityRef(a, "pika_outage_" + i), "a#" + i);
    EntityRef<SessionCommand> polled = SessionSharding.entityRef(a, "pika_outage_0");
    ask(polled, (ActorRef<SessionReply> to) -> new SessionCommand.StartPoll("a#0", "p-1", 901, "Q?", List.of("x", "y"), 5, to));

    try (java.sql.Connection c = TestDatabase.server().getPostgresDatabase().getConnection();
        java.sql.Statement st = c.createStatement()) {
      st.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
      st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
      // every session tries to persist and fails; each restarts and fails its recovery, which opens the breakers
      for (int i = 0; i < sessions; i++) {
        final int n = i;
        SessionSharding.entityRef(a, "pika_outage_" + i).<SessionReply>ask(
            to -> new SessionCommand.BroadcastTrack("a#" + n, "t-" + n, TrackInfo.of("Track " + n, "Artist"), to), ASK);
      }
      Thread.sleep(15_000); // the outage itself: nothing to wait for, the database is away for a fixed time
      st.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
    }
    Instant back = Instant.now();
    for (int i = 0; i < sessions; i++) {
      EntityRef<SessionCommand> ref = SessionSharding.entityRef(a, "pika_outage_" + i);
      ClusterSystems.await(Duration.ofSeconds(30), () -> {
        try {
          return ref.<SessionState>ask(SessionCommand.GetState::new, Duration.ofSeconds(2))
              .toCompletableFuture().get(3, TimeUnit.SECONDS) instanceof SessionState.Live;
        } catch (Exception e) {
          return false;
        }
      });
    }
    Duration allBack = Duration.between(back, Instant.now());
    SessionMessage.PollEnded pe = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (pe == null && System.nanoTime() < deadline) {
      SessionFeed f = feed.receiveMessage(Duration.ofSeconds(30));
      if (f instanceof SessionFeed.Published p && p.message() instanceof SessionMessage.PollEnded e) pe = e;
    }
    assertNotNull(pe, "the poll due during the outage ended");
    assertEquals(901, pe.pollId());
    Duration pollAfterBack = Duration.between(back, Instant.now());
    System.out.println("database outage 15 s: all " + sessions + " sessions answered " + allBack.toMillis()
        + " ms and the due poll ended " + pollAfterBack.toMillis() + " ms after the database returned");
    assertTrue(allBack.compareTo(Duration.ofSeconds(12)) < 0, "all sessions answered " + allBack + " after the database");
    assertTrue(pollAfterBack.compareTo(Duration.ofSeconds(12)) < 0, "the poll ended " + pollAfterBack + " after the database");
  }
}
