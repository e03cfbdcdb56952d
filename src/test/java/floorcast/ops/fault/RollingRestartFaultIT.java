package floorcast.ops.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.ops.EmbeddedDatabase;
import floorcast.ops.Migrations;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Issue 7: nodes fail or redeploy without losing sessions (reliability.md §3–§7). One embedded PostgreSQL owned by
 * this JVM, three node JVMs (cluster-config/local-3-node, ports shifted), 20 DJ sessions with a client ledger and
 * 520 dancers over the three nodes. Faults while the load runs, in this order: a rolling restart (youngest first,
 * oldest last), a SIGKILL of the node hosting the most sessions with an immediate same-port, same-build restart, a 10 s SIGSTOP
 * of one node and a 10 s database outage; {@code -Dfloorcast.fault.soak=true} (Maven {@code -Pfault-soak}) runs the
 * sequence three times. Then the journal oracle (§6), the clients' view and the figures for docs/benchmarks.md.
 */
@Tag("cluster")
class RollingRestartFaultIT {
  private static final int SESSIONS = 20;
  private static final int DANCERS_PER_SESSION = 26;
  private static final int DB_PORT = 15632;
  private static final double LIKE_CHANCE = 0.1;
  /** The soak variant (-Pfault-soak) runs the sequence of four faults three times. */
  private static final int ROUNDS = Boolean.getBoolean("floorcast.fault.soak") ? 3 : 1;

  private final Path logs = Path.of("target/it-logs");
  private final Path dbDir = Path.of("target/it-logs/pg");
  private final Map<Integer, NodeProcess> nodes = new HashMap<>();
  private final Map<Integer, Long> startedAt = new ConcurrentHashMap<>();
  private final List<DjClient> djs = new ArrayList<>();
  private final List<Thread> djThreads = new ArrayList<>();
  private final List<DancerClient> dancers = new ArrayList<>();
  private final Map<String, String> figures = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  /** Wall-clock windows in which the database was down (with margins): the only time a persist may fail. */
  private final List<LocalTime[]> outageWindows = new ArrayList<>();
  /**
   * The 15 s after each SIGCONT: the resumed node runs the work buffered during its pause (client messages, due
   * timers) on sessions that already moved, until it learns it was downed (≈ 1–2 s). Its write and the new owner's
   * for the same sequence number collide on the journal's primary key, and the loser fails and recovers from the
   * journal — the history stays linear (reliability.md §1). Such lines are counted there, and are failures anywhere
   * else.
   */
  private final List<LocalTime[]> resumeWindows = new ArrayList<>();
  private int round;
  /** Nodes the faults may legitimately get downed: the SIGKILLed one and the SIGSTOPped one. */
  private final Set<String> mayBeDowned = new HashSet<>();
  private EmbeddedDatabase db;
  private ScheduledExecutorService timers;
  private HttpClient http;
  private Ledger ledger;

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void sessionsSurviveRollingRestartCrashPauseAndDatabaseOutage() throws Exception {
    long testStart = System.currentTimeMillis();
    try {
      runScenario(testStart);
    } catch (Throwable t) {
      failures.add("scenario aborted: " + t);
      throw t;
    } finally {
      figures.put("test wall time", seconds(System.currentTimeMillis() - testStart));
      report();
    }
    if (!failures.isEmpty()) fail(String.join("\n", failures));
  }

  private void runScenario(long testStart) throws Exception {
    requirePortsFree();
    deleteRecursively(logs);
    Files.createDirectories(logs);
    db = EmbeddedDatabase.start(dbDir, DB_PORT, false);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl("jdbc:postgresql://127.0.0.1:" + DB_PORT + "/postgres");
    ds.setUser("postgres");
    Migrations.migrate(ds);
    String dbUrl = "postgres://postgres@127.0.0.1:" + DB_PORT + "/postgres";
    for (int n = 1; n <= 3; n++) {
      nodes.put(n, new NodeProcess(n, dbUrl, logs));
      nodes.get(n).start();
      startedAt.put(n, System.currentTimeMillis());
    }
    for (int n = 1; n <= 3; n++) {
      int node = n;
      await("node" + n + " /ready", Duration.ofSeconds(180), () -> ManagementProbe.ready(node));
    }
    await("3 members Up", Duration.ofSeconds(60), () -> converged(1));
    figures.put("cluster start (3 JVMs to ready)", seconds(System.currentTimeMillis() - testStart));

    startLoad();
    long loadStart = System.currentTimeMillis();
    await("all DJs registered", Duration.ofSeconds(90), () -> djs.stream().allMatch(DjClient::registered));
    await(
        "all dancers subscribed",
        Duration.ofSeconds(120),
        () -> dancers.stream().allMatch(DancerClient::subscribed));
    figures.put("load up (20 DJs + " + dancers.size() + " dancers subscribed)",
        seconds(System.currentTimeMillis() - loadStart));
    awaitAcks(40); // some commands of every kind in the journal before the first fault

    for (round = 1; round <= ROUNDS; round++) {
      rollingRestart();
      crashMostLoadedNode();
      pauseOneNode();
      databaseOutage();
    }

    // drain: no new commands; every unACKed command is retried until ACKed
    djs.forEach(DjClient::stopCommands);
    long drainStart = System.currentTimeMillis();
    for (Thread t : djThreads) t.join(Math.max(1, 90_000 - (System.currentTimeMillis() - drainStart)));
    for (int i = 0; i < djs.size(); i++) {
      if (djThreads.get(i).isAlive()) failures.add(djs.get(i).sessionId + ": a command was never ACKed (drain 90 s)");
      if (djs.get(i).fatal() != null) failures.add(djs.get(i).sessionId + ": " + djs.get(i).fatal());
    }
    await(
        "all dancers resubscribed after the faults",
        Duration.ofSeconds(90),
        () -> dancers.stream().allMatch(DancerClient::subscribed));

    checkClientsView();
    checkJournal();
    checkLogs();
  }

  /**
   * The ports are fixed: a second run of this test on the same machine (another checkout) would join its nodes and
   * clients to this cluster and both runs would measure nonsense (seen: 40 active sessions instead of 20).
   */
  private static void requirePortsFree() {
    List<Integer> ports = new ArrayList<>(List.of(DB_PORT));
    for (int n = 1; n <= 3; n++) {
      ports.addAll(List.of(NodeProcess.httpPort(n), NodeProcess.arteryPort(n), NodeProcess.managementPort(n)));
    }
    for (int port : ports) {
      try (java.net.ServerSocket s = new java.net.ServerSocket()) {
        s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      } catch (IOException e) {
        fail("port " + port + " is in use: is another RollingRestartFaultIT running on this machine?");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- load

  private void startLoad() throws IOException {
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    timers = Executors.newScheduledThreadPool(2);
    ledger = new Ledger(logs.resolve("ledger.csv"));
    String run = Long.toString(System.currentTimeMillis(), 36);
    for (int i = 0; i < SESSIONS; i++) {
      String sessionId = "fault_" + run + "_" + i;
      DjClient dj = new DjClient(sessionId, "dj_client_" + run + "_" + i, i % 3 + 1, http, ledger);
      djs.add(dj);
      Thread t = new Thread(dj, "dj-" + i);
      t.setDaemon(true);
      djThreads.add(t);
      t.start();
    }
    for (int i = 0; i < SESSIONS; i++) {
      for (int j = 0; j < DANCERS_PER_SESSION; j++) {
        dancers.add(
            new DancerClient(
                djs.get(i).sessionId,
                "dancer_" + run + "_" + i + "_" + j,
                (i + j + 1) % 3 + 1,
                http,
                timers,
                ledger,
                LIKE_CHANCE));
      }
    }
    // connect at ≈ 100/s, then heartbeat every 30 s (protocol.md §5; the server closes after 120 s of silence)
    for (int k = 0; k < dancers.size(); k++) {
      timers.schedule(dancers.get(k)::connect, 500 + k * 10L, TimeUnit.MILLISECONDS);
    }
    timers.scheduleAtFixedRate(() -> dancers.forEach(DancerClient::ping), 30, 30, TimeUnit.SECONDS);
  }

  private void awaitAcks(int count) throws Exception {
    int target = ledger.entries().size() + count;
    await(count + " more ACKs", Duration.ofSeconds(60), () -> ledger.entries().size() >= target);
  }

  // ---------------------------------------------------------------------------------------------- faults

  /** reliability.md §3: SIGTERM, wait until removed, restart on the same ports, /ready; oldest member last. */
  private void rollingRestart() throws Exception {
    long rollStart = System.currentTimeMillis();
    String oldest = ManagementProbe.oldest(1).orElseThrow();
    int oldestNode = nodeOf(oldest);
    List<Integer> order =
        startedAt.keySet().stream()
            .filter(n -> n != oldestNode)
            .sorted(Comparator.comparing((Integer n) -> startedAt.get(n)).reversed())
            .collect(Collectors.toList());
    order.add(oldestNode);
    List<String> steps = new ArrayList<>();
    for (int n : order) {
      long t0 = System.currentTimeMillis();
      nodes.get(n).term();
      int other = n == 1 ? 2 : 1;
      int node = n;
      await(
          "node" + n + " removed from node" + other + "'s members",
          Duration.ofSeconds(75),
          () ->
              ManagementProbe.members(other)
                  .map(ms -> ms.stream().noneMatch(m -> m.address().equals(NodeProcess.address(node))))
                  .orElse(false));
      long left = System.currentTimeMillis() - t0;
      assertTrue(nodes.get(n).awaitExit(60), "node" + n + " did not exit after SIGTERM");
      nodes.get(n).start();
      startedAt.put(n, System.currentTimeMillis());
      await("node" + n + " /ready after restart", Duration.ofSeconds(150), () -> ManagementProbe.ready(node));
      await("3 members Up after restarting node" + n, Duration.ofSeconds(60), () -> converged(node));
      steps.add("node" + n + " left " + seconds(left) + ", back " + seconds(System.currentTimeMillis() - t0));
      awaitAcks(10);
    }
    figure("rolling restart (order " + order + ")", seconds(System.currentTimeMillis() - rollStart));
    figure("rolling restart steps", String.join("; ", steps));
  }

  /** SIGKILL of the node hosting the most sessions, restarted at once on the same ports; measures recovery. */
  private void crashMostLoadedNode() throws Exception {
    Map<Integer, Set<String>> hosted = new HashMap<>();
    for (int n = 1; n <= 3; n++) hosted.put(n, ManagementProbe.hostedSessions(n).orElse(Set.of()));
    Set<String> ours = djs.stream().map(d -> d.sessionId).collect(Collectors.toSet());
    int victim =
        hosted.entrySet().stream()
            .max(Comparator.comparingLong(e -> e.getValue().stream().filter(ours::contains).count()))
            .orElseThrow()
            .getKey();
    Set<String> affected = new HashSet<>(hosted.get(victim));
    affected.retainAll(ours);
    List<DancerClient> affectedDancers =
        dancers.stream().filter(d -> affected.contains(d.sessionId)).collect(Collectors.toList());
    long killAt = System.currentTimeMillis();
    affectedDancers.forEach(d -> d.watchFrom(killAt));
    mayBeDowned.add(NodeProcess.address(victim));
    nodes.get(victim).kill();
    nodes.get(victim).restartSameBuild();
    startedAt.put(victim, System.currentTimeMillis());

    // a probe per affected session on a surviving node: SUBSCRIBE until a snapshot + ACK comes back
    int survivor = victim == 1 ? 2 : 1;
    Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    List<Thread> probes = new ArrayList<>();
    for (String sessionId : affected) {
      Thread t =
          new Thread(
              () -> {
                long deadline = killAt + 90_000;
                while (System.currentTimeMillis() < deadline) {
                  try (SessionProbe probe = SessionProbe.open(http, survivor)) {
                    while (System.currentTimeMillis() < deadline) {
                      SessionProbe.Snapshot s = probe.subscribe(sessionId, 2_000);
                      if (s != null && s.live()) {
                        answeredAt.put(sessionId, System.currentTimeMillis());
                        return;
                      }
                    }
                  } catch (Exception e) {
                    // node busy or socket lost: open another probe connection
                  }
                }
              },
              "probe-" + sessionId);
      t.setDaemon(true);
      probes.add(t);
      t.start();
    }
    for (Thread t : probes) t.join(95_000);
    await(
        "dancers of the crashed node's sessions resynced",
        Duration.ofSeconds(60),
        () -> affectedDancers.stream().allMatch(d -> d.resyncedAtSinceWatch() > 0));
    long maxAnswer =
        affected.stream().mapToLong(s -> answeredAt.getOrDefault(s, Long.MAX_VALUE) - killAt).max().orElse(0);
    // client side, measured from the moment the dancer's session answered again (cluster side measured above)
    List<Long> resyncAfterAnswer =
        affectedDancers.stream()
            .map(d -> d.resyncedAtSinceWatch() - answeredAt.getOrDefault(d.sessionId, killAt))
            .sorted()
            .collect(Collectors.toList());
    List<Long> resyncAfterKill =
        affectedDancers.stream().map(d -> d.resyncedAtSinceWatch() - killAt).sorted().collect(Collectors.toList());
    double shareAfterKill = share(resyncAfterKill, 15_000, affectedDancers.size());
    double shareAfterAnswer = share(resyncAfterAnswer, 15_000, affectedDancers.size());
    long lostSocket = affectedDancers.stream().filter(DancerClient::closedSinceWatch).count();
    boolean allAnswered = answeredAt.size() == affected.size();
    figure(
        "SIGKILL node",
        "node" + victim + " hosting " + affected.size() + " of " + SESSIONS + " sessions, killed at "
            + java.time.LocalTime.ofInstant(java.time.Instant.ofEpochMilli(killAt), java.time.ZoneId.systemDefault()));
    List<Integer> survivors = new ArrayList<>(List.of(1, 2, 3));
    survivors.remove(Integer.valueOf(victim));
    FailoverTimeline.read(logs, survivors, NodeProcess.address(victim), killAt, affected)
        .forEach((step, at) -> figure("SIGKILL step: " + step, at));
    figure(
        "SIGKILL: all affected sessions answered again within",
        (allAnswered ? seconds(maxAnswer) : "never (90 s)")
            + " of the kill (target 10 s: "
            + (allAnswered && maxAnswer <= 10_000 ? "met" : "MISSED")
            + ")");
    figure(
        "SIGKILL: affected dancers resynced within 15 s of the kill",
        String.format(
            "%.1f %% of %d, %d had lost their socket (target 90 %%: %s); p50 %s, p90 %s, max %s",
            shareAfterKill * 100,
            affectedDancers.size(),
            lostSocket,
            shareAfterKill >= 0.9 ? "met" : "MISSED",
            seconds(percentile(resyncAfterKill, 0.5)),
            seconds(percentile(resyncAfterKill, 0.9)),
            seconds(percentile(resyncAfterKill, 1.0))));
    figure(
        "SIGKILL: affected dancers resynced within 15 s of their session answering",
        String.format(
            "%.1f %%; p50 %s, p90 %s, max %s",
            shareAfterAnswer * 100,
            seconds(percentile(resyncAfterAnswer, 0.5)),
            seconds(percentile(resyncAfterAnswer, 0.9)),
            seconds(percentile(resyncAfterAnswer, 1.0))));
    // issue #7's targets, asserted: failure detection (≈ 3 s) + SBR (2 s stable + ≤ 1 s tick) + removal margin
    // (0.5 s) + allocation on established members and recovery (≈ 1 s) ≈ 6–7.5 s measured on this machine
    if (!allAnswered) failures.add("SIGKILL: some sessions never answered again");
    else if (maxAnswer > 10_000) failures.add("SIGKILL: sessions answered again only after " + seconds(maxAnswer));
    if (shareAfterKill < 0.9) {
      failures.add("SIGKILL: only " + Math.round(shareAfterKill * 100) + " % of dancers resynced within 15 s of the kill");
    }
    int node = victim;
    await("node" + victim + " /ready after SIGKILL restart", Duration.ofSeconds(150), () -> ManagementProbe.ready(node));
    await("3 members Up after the crash", Duration.ofSeconds(60), () -> converged(node));
    figure("SIGKILL: node back ready after", seconds(System.currentTimeMillis() - killAt));
    awaitAcks(10);
  }

  /** SIGSTOP 10 s, SIGCONT; if the majority downed it meanwhile it exits on resume and is restarted. */
  private void pauseOneNode() throws Exception {
    String oldest = ManagementProbe.oldest(1).or(() -> ManagementProbe.oldest(2)).orElseThrow();
    int oldestNode = nodeOf(oldest);
    int victim = oldestNode == 3 ? 2 : 3;
    long t0 = System.currentTimeMillis();
    mayBeDowned.add(NodeProcess.address(victim));
    nodes.get(victim).pause();
    TimeUnit.SECONDS.sleep(10); // the fault itself: a 10 s freeze
    nodes.get(victim).resume();
    resumeWindows.add(new LocalTime[] {LocalTime.now(), LocalTime.now().plusSeconds(15)});
    int node = victim;
    // Paused longer than failure detection + stable-after (≈ 6 s), it is normally downed and removed meanwhile; on
    // resume it learns that (quarantined by the others), runs coordinated shutdown and exits: restart it then, as a
    // supervisor would. Whether it stayed a member is judged by the majority (the oldest node): right after SIGCONT
    // the paused node's own view is the stale one from before the pause (3 members Up, none unreachable).
    int witness = oldestNode;
    boolean exited = false;
    boolean stayed = false;
    long resumedAt = System.currentTimeMillis();
    long deadline = resumedAt + 90_000;
    boolean dumped = false;
    while (System.currentTimeMillis() < deadline) {
      if (!nodes.get(victim).alive()) {
        exited = true;
        break;
      }
      if (!dumped && System.currentTimeMillis() - resumedAt > 10_000) {
        dumped = true; // still alive 10 s after SIGCONT: keep its threads for the record (a downed node should be gone)
        nodes.get(victim).dumpThreads(logs.resolve("node" + victim + "-threads-10s-after-sigcont.txt"));
      }
      if (ManagementProbe.ready(victim) && converged(witness) && converged(victim)) {
        stayed = true;
        break;
      }
      TimeUnit.MILLISECONDS.sleep(250); // poll interval
    }
    long exitedAfter = System.currentTimeMillis() - resumedAt;
    if (!exited && !stayed) {
      failures.add("SIGSTOP: node" + victim + " neither rejoined nor exited within 90 s of SIGCONT");
      nodes.get(victim).destroy();
      exited = true;
    }
    if (exited) {
      nodes.get(victim).restartSameBuild();
      startedAt.put(victim, System.currentTimeMillis());
    }
    await("node" + victim + " ready after SIGSTOP", Duration.ofSeconds(150), () -> ManagementProbe.ready(node));
    await("3 members Up after SIGSTOP", Duration.ofSeconds(60), () -> converged(node) && converged(witness));
    figure(
        "SIGSTOP 10 s node" + victim,
        (exited
                ? "downed by the majority, JVM exited " + seconds(exitedAfter) + " after SIGCONT, restarted"
                : "stayed a member")
            + "; converged after "
            + seconds(System.currentTimeMillis() - t0));
    awaitAcks(10);
  }

  /** PostgreSQL stopped for 10 s and started again on the same port and data directory. */
  private void databaseOutage() throws Exception {
    int nacksBefore = djs.stream().mapToInt(DjClient::internalErrorNacks).sum();
    long t0 = System.currentTimeMillis();
    db.close();
    TimeUnit.SECONDS.sleep(10); // the fault itself: a 10 s outage
    db = EmbeddedDatabase.start(dbDir, DB_PORT, false);
    long back = System.currentTimeMillis();
    for (int n = 1; n <= 3; n++) {
      int node = n;
      await("node" + n + " /ready after the database outage", Duration.ofSeconds(120), () -> ManagementProbe.ready(node));
    }
    awaitAcks(20);
    // persists that were in flight when the database went away fail up to the circuit breaker's call timeout later
    outageWindows.add(
        new LocalTime[] {
          LocalTime.ofInstant(java.time.Instant.ofEpochMilli(t0 - 1_000), java.time.ZoneId.systemDefault()),
          LocalTime.now().plusSeconds(15)
        });
    int nacks = djs.stream().mapToInt(DjClient::internalErrorNacks).sum() - nacksBefore;
    figure(
        "database outage 10 s",
        "down " + seconds(back - t0) + "; commands ACKed again " + seconds(System.currentTimeMillis() - back)
            + " after restart; NACK Internal server error during it: " + nacks);
  }

  // ---------------------------------------------------------------------------------------------- checks

  private void checkClientsView() throws Exception {
    int mismatches = 0;
    long minListeners = Long.MAX_VALUE;
    long maxListeners = 0;
    for (int i = 0; i < djs.size(); i++) {
      DjClient dj = djs.get(i);
      SessionProbe.Snapshot s = null;
      for (int attempt = 0; attempt < 10 && s == null; attempt++) {
        try (SessionProbe probe = SessionProbe.open(http, (i + attempt) % 3 + 1)) {
          s = probe.subscribe(dj.sessionId, 10_000);
        }
      }
      if (s == null || !s.live()) {
        failures.add(dj.sessionId + ": not live at the end");
        continue;
      }
      if (dj.ackedTrackTitle() == null || !dj.ackedTrackTitle().equals(s.nowPlayingTitle())) {
        mismatches++;
        failures.add(dj.sessionId + ": current track " + s.nowPlayingTitle() + ", last ACKed " + dj.ackedTrackTitle());
      }
      minListeners = Math.min(minListeners, s.listenerCount());
      maxListeners = Math.max(maxListeners, s.listenerCount());
      if (s.listenerCount() < DANCERS_PER_SESSION * 0.9 || s.listenerCount() > DANCERS_PER_SESSION) {
        failures.add(dj.sessionId + ": listener count " + s.listenerCount() + " for " + DANCERS_PER_SESSION + " dancers");
      }
    }
    figures.put("sessions live with the last ACKed track", (djs.size() - mismatches) + " of " + djs.size());
    figures.put("listener count per session (" + DANCERS_PER_SESSION + " dancers each)", minListeners + "–" + maxListeners);
    Optional<JsonNode> active = Optional.empty();
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      active = ManagementProbe.activeSessions(1);
      if (active.isPresent() && active.get().path("count").asInt() >= SESSIONS) break;
      TimeUnit.MILLISECONDS.sleep(500);
    }
    int restCount = active.map(a -> a.path("count").asInt()).orElse(-1);
    figures.put("REST /api/sessions/active count", Integer.toString(restCount));
    if (restCount != SESSIONS) failures.add("/api/sessions/active lists " + restCount + " sessions, expected " + SESSIONS);

    int violations = dancers.stream().mapToInt(DancerClient::resumeViolations).sum();
    int reconnects = dancers.stream().mapToInt(DancerClient::closes).sum();
    long reconnected = dancers.stream().filter(d -> d.closes() > 0).count();
    int stale = dancers.stream().mapToInt(DancerClient::staleDropped).sum();
    long applied = dancers.stream().mapToLong(DancerClient::appliedMessages).sum();
    figures.put(
        "dancers",
        dancers.size() + " all resubscribed at the end; " + reconnected + " reconnected (" + reconnects
            + " reconnects); " + applied + " session messages applied, " + stale
            + " late duplicates dropped by seq");
    figures.put("resume snapshots not newer than lastSeq", Integer.toString(violations));
    figures.put(
        "SUBSCRIBE refused with NACK (retried)",
        Integer.toString(dancers.stream().mapToInt(DancerClient::subscribeNacks).sum()));
    if (violations > 0) failures.add(violations + " resume snapshots carried seq <= lastSeq (protocol.md §4.1, §15)");
    figures.put(
        "DJ commands",
        ledger.entries().stream().filter(e -> !e.type().equals("SEND_LIKE")).count() + " ACKed, "
            + djs.stream().mapToInt(DjClient::retries).sum() + " retries (same messageId), "
            + djs.stream().mapToInt(DjClient::registrations).sum() + " registrations ("
            + djs.size() + " first + resumes), NACK Internal server error "
            + djs.stream().mapToInt(DjClient::internalErrorNacks).sum() + ", other NACKs "
            + djs.stream().mapToInt(DjClient::otherNacks).sum() + " "
            + djs.stream().flatMap(d -> d.otherNackTexts().stream()).collect(Collectors.toCollection(java.util.TreeSet::new)));
  }

  private void checkJournal() throws Exception {
    JournalOracle oracle = new JournalOracle("jdbc:postgresql://127.0.0.1:" + DB_PORT + "/postgres");
    List<String> integrity = oracle.integrityViolations();
    List<Ledger.Entry> entries = ledger.entries();
    List<Ledger.Entry> missing = oracle.ackedButNotJournaled(entries);
    figures.put("ledger", entries.size() + " ACKed messageIds (" + entries.stream().filter(e -> e.type().equals("SEND_LIKE")).count() + " likes), target/it-logs/ledger.csv");
    figures.put("I1–I3, I5, I6 violations (deploy/integrity.sql + dancer messageIds)", Integer.toString(integrity.size()));
    figures.put("I4 ACKed but not journaled", Integer.toString(missing.size()));
    integrity.forEach(v -> failures.add("journal: " + v));
    missing.forEach(m -> failures.add("ACKed but not journaled: " + m));

    long cutoff = System.currentTimeMillis() - 15_000;
    List<JournalOracle.PollTiming> polls = oracle.pollTimings();
    List<JournalOracle.PollTiming> due =
        polls.stream()
            .filter(p -> p.endsAt() != null && p.endsAt().toEpochMilli() < cutoff)
            .collect(Collectors.toList());
    List<Long> late =
        due.stream()
            .filter(p -> p.endedAt() != null && "expired".equals(p.reason()))
            .map(p -> JournalOracle.lateness(p).toMillis())
            .sorted()
            .collect(Collectors.toList());
    long open = due.stream().filter(p -> p.endedAt() == null).count();
    figures.put(
        "poll timers",
        polls.size() + " polls, " + due.size() + " due; fired late by p50 " + seconds(percentile(late, 0.5))
            + ", max " + seconds(percentile(late, 1.0)) + "; due but not ended: " + open);
    if (open > 0) failures.add(open + " polls past endsAt were never ended");
    // a timer due while its session cannot run (node down, database down) fires after recovery (protocol.md §7.6):
    // at most the 10 s outage + the persistence breakers' 2 s reset + the entity's 6 s restart back-off + recovery
    if (!late.isEmpty() && late.get(late.size() - 1) > 30_000) {
      failures.add("a poll timer fired " + seconds(late.get(late.size() - 1)) + " late");
    }
  }

  private void checkLogs() throws IOException {
    int duplicateKey = 0;
    int persistFailed = 0;
    int persistFailedOutside = 0;
    int duplicateKeyAfterResume = 0;
    for (int n = 1; n <= 3; n++) {
      LocalTime lastTime = null;
      for (String line : Files.readAllLines(logs.resolve("node" + n + ".log"), StandardCharsets.UTF_8)) {
        if (line.contains("duplicate key value violates unique constraint")) {
          // the constraint's message is on a "Caused by" line: judged by the last timestamped line above it
          if (lastTime != null && within(resumeWindows, lastTime)) duplicateKeyAfterResume++;
          else duplicateKey++;
        }
        // the ERROR line carries the time; the exception's own line below it repeats the message
        LocalTime at = logTime(line);
        if (at != null) lastTime = at;
        if (at != null && line.contains("Failed to persist event")) {
          persistFailed++;
          if (!within(outageWindows, at) && !within(resumeWindows, at)) persistFailedOutside++;
        }
      }
    }
    figures.put(
        "log lines 'duplicate key value' / 'Failed to persist event'",
        duplicateKey + " / " + persistFailed + " (+ " + duplicateKeyAfterResume
            + " duplicate-key lines within 15 s of a SIGCONT: the resumed node's writes against the new owner's)");
    // no false downing: the split brain resolver may only have downed the node killed or paused by this test
    Map<String, Integer> downed = new LinkedHashMap<>(); // "nodeN downs <address>" → log lines
    for (int n = 1; n <= 3; n++) {
      for (String line : Files.readAllLines(logs.resolve("node" + n + ".log"), StandardCharsets.UTF_8)) {
        int i = line.indexOf("and is downing [");
        if (i < 0) continue;
        String list = line.substring(i + "and is downing [".length(), line.indexOf(']', i));
        for (String address : list.split(",\\s*")) {
          downed.merge("node" + n + " downs " + address, 1, Integer::sum);
          if (mayBeDowned.stream().noneMatch(address::startsWith)) {
            failures.add("false downing: node" + n + " downed " + address + " (" + line.trim() + ")");
          }
        }
      }
    }
    figures.put(
        "SBR downing decisions (log lines)",
        downed.isEmpty()
            ? "none"
            : downed.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining("; ")));
    if (duplicateKey > 0) failures.add(duplicateKey + " duplicate-key log lines (two writers?)");
    if (persistFailedOutside > 0) {
      failures.add(persistFailedOutside + " 'Failed to persist event' lines outside the database outage");
    }
  }

  /** A figure of the current fault round; rounds after the first are named (soak variant). */
  private void figure(String key, String value) {
    figures.put(round > 1 ? key + " [round " + round + "]" : key, value);
  }

  private void report() throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("\n===== RollingRestartFaultIT figures (")
        .append("rolling restart, SIGKILL, SIGSTOP, database outage; rounds: ").append(ROUNDS)
        .append(") =====\n");
    figures.forEach((k, v) -> b.append(String.format("%-60s %s%n", k, v)));
    b.append("failures: ").append(failures.size()).append('\n');
    b.append("===== end of figures =====\n");
    System.out.println(b);
    Files.writeString(logs.resolve("figures.txt"), b.toString());
  }

  // ---------------------------------------------------------------------------------------------- helpers

  /** Node log lines start with HH:mm:ss.SSS in this machine's zone (logback.xml); null for continuation lines. */
  private static LocalTime logTime(String line) {
    if (line.length() < 12 || line.charAt(2) != ':' || line.charAt(8) != '.') return null;
    try {
      return LocalTime.parse(line.substring(0, 12));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean within(List<LocalTime[]> windows, LocalTime at) {
    return windows.stream().anyMatch(w -> !at.isBefore(w[0]) && !at.isAfter(w[1]));
  }

  private static boolean converged(int n) {
    return ManagementProbe.members(n)
            .map(ms -> ms.size() == 3 && ms.stream().allMatch(m -> m.status().equals("Up")))
            .orElse(false)
        && ManagementProbe.unreachableCount(n).map(u -> u == 0).orElse(false);
  }

  private static int nodeOf(String address) {
    for (int n = 1; n <= 3; n++) if (address.startsWith(NodeProcess.address(n))) return n;
    throw new IllegalStateException("unknown member " + address);
  }

  private static double share(List<Long> millis, long limit, int of) {
    return of == 0 ? 1.0 : millis.stream().filter(ms -> ms <= limit).count() / (double) of;
  }

  private static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return 0;
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static String seconds(long millis) {
    return String.format("%.1f s", millis / 1000.0);
  }

  private static void await(String what, Duration deadline, Callable<Boolean> probe) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      try {
        if (Boolean.TRUE.equals(probe.call())) return;
      } catch (Exception e) {
        // not yet
      }
      TimeUnit.MILLISECONDS.sleep(250); // poll interval
    }
    throw new AssertionError("not within " + deadline + ": " + what);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) Files.delete(p);
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    djs.forEach(DjClient::stop);
    dancers.forEach(DancerClient::stop);
    if (timers != null) timers.shutdownNow();
    nodes.values().forEach(NodeProcess::destroy);
    if (ledger != null) ledger.close();
    if (db != null) db.close();
  }
}
