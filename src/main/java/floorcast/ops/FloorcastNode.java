package floorcast.ops;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.server.Route;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import floorcast.account.TokenAuthenticator;
import floorcast.api.AuthRoutes;
import floorcast.api.HttpHygiene;
import floorcast.api.ReadSideRoutes;
import floorcast.api.SecuritySettings;
import floorcast.api.WsOriginCheck;
import floorcast.live.codec.OutboundCodec;
import floorcast.live.protocol.ConnectionServices;
import floorcast.live.protocol.DancerIngress;
import floorcast.live.protocol.LiveConnectionFactory;
import floorcast.live.transport.LiveGateway;
import floorcast.net.HttpListener;
import floorcast.readside.ReadSideProjection;
import floorcast.session.SessionSettings;
import floorcast.session.SessionSharding;
import floorcast.web.WebRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Floorcast node: its ActorSystem (cluster member), database pool, session sharding and HTTP server.
 * {@link Main} starts one per JVM; tests start several in one JVM on one database.
 */
public final class FloorcastNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FloorcastNode.class);

  private final ActorSystem<Void> system;
  private final HikariDataSource dataSource;
  private final ExecutorService blocking;
  private final HttpListener binding;
  private final AtomicBoolean shuttingDown;

  private FloorcastNode(
      ActorSystem<Void> system,
      HikariDataSource dataSource,
      ExecutorService blocking,
      HttpListener binding,
      AtomicBoolean shuttingDown) {
    this.system = system;
    this.dataSource = dataSource;
    this.blocking = blocking;
    this.binding = binding;
    this.shuttingDown = shuttingDown;
  }

  /** Config with the database location filled into the persistence plugins' pools (journal, read journal). */
  public static Config withDatabase(Config config, DatabaseSettings db) {
    Map<String, Object> overrides = new HashMap<>();
    for (String pool : List.of("default", "read-journal")) {
      String prefix = "pekko-persistence-jdbc.shared-databases." + pool + ".db.";
      overrides.put(prefix + "url", db.jdbcUrl());
      overrides.put(prefix + "user", db.user());
      overrides.put(prefix + "password", db.password());
    }
    return ConfigFactory.parseMap(overrides).withFallback(config).resolve();
  }

  /**
   * Once this node is Up (a join asks the cluster's session directory): {@link JoinPathWarmup}, then {@link
   * BroadcastPathWarmup}, then ready. Each runs when configured ({@code floorcast.live.warmup-connections}; {@code
   * warmup-followers} and {@code warmup-broadcasts}: above 0); with neither, ready at once. A failed warm-up is
   * logged and the next one runs.
   */
  private static void warmUp(
      ActorSystem<?> system,
      Config config,
      LiveGateway gateway,
      ConnectionServices services,
      AtomicBoolean warmedUp) {
    int connections = config.getInt("floorcast.live.warmup-connections");
    int followers = config.getInt("floorcast.live.warmup-followers");
    int broadcasts = config.getInt("floorcast.live.warmup-broadcasts");
    boolean broadcastPath = followers > 0 && broadcasts > 0;
    if (connections <= 0 && !broadcastPath) {
      warmedUp.set(true);
      return;
    }
    String transport = config.getString("floorcast.http.transport");
    Duration limit = config.getDuration("floorcast.live.warmup-limit");
    org.apache.pekko.cluster.Cluster.get(system.classicSystem())
        .registerOnMemberUp(
            () ->
                after(
                        connections > 0,
                        () ->
                            JoinPathWarmup.run(
                                system,
                                transport,
                                gateway.warmupRoute(),
                                connections,
                                config.getInt("floorcast.live.warmup-parallelism"),
                                limit))
                    .thenCompose(
                        joined ->
                            after(
                                broadcastPath,
                                () ->
                                    BroadcastPathWarmup.run(
                                        system, transport, gateway, services, followers, broadcasts, limit)))
                    .whenComplete((result, failure) -> warmedUp.set(true)));
  }

  /** {@code next} when {@code run}; completes normally either way (a warm-up logs its own failure). */
  private static CompletionStage<Object> after(boolean run, Supplier<CompletionStage<?>> next) {
    if (!run) return CompletableFuture.completedFuture(null);
    return next.get().handle((r, e) -> null);
  }

  /** Journal and snapshot store started and answering before the node can be ready ({@link PersistenceWarmup}). */
  private static void warmUpPersistence(ActorSystem<?> system, String nodeName) {
    long t0 = System.nanoTime();
    try {
      PersistenceWarmup.run(system, nodeName, Duration.ofSeconds(30)).toCompletableFuture().join();
      log.info("persistence plugins started and answering after {} ms", (System.nanoTime() - t0) / 1_000_000);
    } catch (RuntimeException e) {
      // the database may be down at start: the node still starts, its readiness check reports the database
      log.warn("persistence warm-up failed after {} ms: {}", (System.nanoTime() - t0) / 1_000_000, e.toString());
    }
  }

  public static FloorcastNode start(Config config, DatabaseSettings db) throws Exception {
    Config full = withDatabase(config, db);
    String nodeName =
        "floorcast-" + full.getString("pekko.remote.artery.canonical.hostname") + ":"
            + full.getInt("pekko.remote.artery.canonical.port");
    HikariDataSource dataSource =
        ApplicationPool.create(db, full.getInt("floorcast.database.pool-size"), nodeName);
    try {
      Migrations.migrate(dataSource);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    ExecutorService blocking =
        Executors.newFixedThreadPool(
            Math.max(2, full.getInt("floorcast.database.pool-size")),
            r -> {
              Thread t = new Thread(r, "floorcast-jdbc");
              t.setDaemon(true);
              return t;
            });
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "floorcast", full);
    AtomicBoolean shuttingDown = new AtomicBoolean(false);
    try {
      // First the read side's sharded daemon process: its region creates this node's sharding replicator at once.
      // With seed-nodes in the configuration Pekko starts joining when the system starts; once this node is Up, the
      // shard coordinators' state updates wait for its replicator (write majority + 3 = every node of a small
      // cluster), and a restarted node that was Up without one stalled a crash fail-over by the 5 s
      // updating-state-timeout.
      ReadSideProjection.start(system, dataSource);
      // Then the journal, before this node hosts a session: its DjSession region (below) must not be handed a
      // crashed node's shards while its journal plugin is still starting (a restarted node got them all, being the
      // one with the fewest shards, and recovered them 3 s late).
      warmUpPersistence(system, nodeName);
      SecuritySettings security = SecuritySettings.from(full);
      AuthRoutes auth = AuthRoutes.create(system, dataSource, blocking, security);
      TokenAuthenticator tokens = auth.tokens();

      NodeMetrics metrics = NodeMetrics.get(system.classicSystem());
      // the live gateway first: the session entities publish through it
      DancerIngress dancers = LiveConnectionFactory.dancerIngress(system, full);
      AtomicReference<LiveConnectionFactory> connectionFactory = new AtomicReference<>();
      LiveGateway gateway =
          new LiveGateway(
              system,
              full,
              dataSource,
              gw -> {
                connectionFactory.set(
                    new LiveConnectionFactory(
                        system, full, dataSource, tokens, gw.fanout(), gw.directory(), dancers, metrics));
                return connectionFactory.get();
              },
              new OutboundCodec(),
              metrics);
      WsOriginCheck origins = WsOriginCheck.from(security);
      gateway.setUpgradeGate((request, clientIp) -> origins.refusal(request));
      SessionSharding.init(
          system,
          SessionSettings.fromConfig(full),
          gateway.publisher(),
          metrics,
          new JdbcSnapshotRetention(dataSource, blocking, JdbcSnapshotRetention.NEWEST_KEPT));
      // self / bootstrap joins only now, with this node's regions and journal ready
      joinCluster(system, full);
      // /alive, /ready, /cluster/*, /metrics, /debug/node; starts Cluster Bootstrap when join = bootstrap
      ManagementServer.start(system);
      NodeStatsRegistry.get(system.classicSystem())
          .supply(
              () ->
                  new NodeStats(
                      gateway.connectionCount(),
                      gateway.directory().liveSessions().stream()
                          .collect(
                              java.util.stream.Collectors.toMap(
                                  floorcast.session.SessionSummary::sessionId,
                                  floorcast.session.SessionSummary::listenerCount))));

      // readiness (management /ready and /health/ready): only once this node's pub/sub subscriptions are known
      // cluster-wide, else a publish elsewhere right after the join misses its dancers and lobby watchers
      // ... and once the join-path warm-up (if configured) has run: a load balancer sends no dancer to a cold node
      AtomicBoolean warmedUp = new AtomicBoolean(false);
      PubSubReadiness.get(system.classicSystem())
          .supply(
              () ->
                  warmedUp.get()
                      ? gateway.subscriptionReadiness().check()
                      : java.util.concurrent.CompletableFuture.completedFuture(false));
      HealthRoutes health =
          new HealthRoutes(
              dataSource,
              blocking,
              () -> gateway.directory().count(),
              () ->
                  !shuttingDown.get() && isUp(system)
                      ? PubSubReadiness.get(system.classicSystem()).check()
                      : java.util.concurrent.CompletableFuture.completedFuture(false));
      ReadSideRoutes readSide =
          ReadSideRoutes.fromConfig(full, dataSource, blocking, gateway.directory()::liveSessions, tokens);
      Route routes =
          concat(
              gateway.route(),
              HttpHygiene.from(security, system)
                  .wrap(concat(health.route(), auth.route(), new WebRoutes().route(), readSide.route())));

      String transport = full.getString("floorcast.http.transport");
      HttpListener binding =
          HttpListener.bind(
                  system, transport, full.getString("floorcast.http.host"), full.getInt("floorcast.http.port"), routes)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      log.info("HTTP and /ws listening on {} ({} transport)", binding.localAddress(), transport);
      warmUp(system, full, gateway, connectionFactory.get().services(), warmedUp);

      CoordinatedShutdown cs = CoordinatedShutdown.get(system);
      cs.addTask(
          CoordinatedShutdown.PhaseBeforeServiceUnbind(),
          "mark-not-ready",
          () -> {
            shuttingDown.set(true);
            DownedExit.armIfDowned(system);
            return java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance());
          });
      binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
      // protocol.md §7.6: not ready → close every WebSocket with 1012 → hand off sessions (cluster phases)
      gateway.addToCoordinatedShutdown(system);
      system
          .getWhenTerminated()
          .thenRun(
              () -> {
                dataSource.close();
                blocking.shutdown();
              });
      return new FloorcastNode(system, dataSource, blocking, binding, shuttingDown);
    } catch (Exception e) {
      system.terminate();
      dataSource.close();
      blocking.shutdown();
      throw e;
    }
  }

  /**
   * Single node (no seed nodes, no bootstrap): join itself. Otherwise the configured seed nodes (or Pekko
   * Management cluster bootstrap on Kubernetes) form the cluster.
   */
  private static void joinCluster(ActorSystem<Void> system, Config config) {
    Cluster cluster = Cluster.get(system);
    boolean noSeeds = config.getStringList("pekko.cluster.seed-nodes").isEmpty();
    String mode = config.hasPath("floorcast.cluster.join") ? config.getString("floorcast.cluster.join") : "auto";
    if (mode.equals("self") || (mode.equals("auto") && noSeeds)) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
  }

  private static boolean isUp(ActorSystem<?> system) {
    MemberStatus s = Cluster.get(system).selfMember().status();
    return s == MemberStatus.up() || s == MemberStatus.weaklyUp();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public HikariDataSource dataSource() {
    return dataSource;
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  public boolean shuttingDown() {
    return shuttingDown.get();
  }

  /** Graceful stop through coordinated shutdown (leave the cluster, hand off shards, close sockets). */
  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("node did not terminate in time: {}", e.toString());
    }
  }
}
