package floorcast.load;

import floorcast.ops.CommonPoolParallelism;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import floorcast.ops.DatabaseSettings;
import floorcast.ops.EmbeddedDatabase;
import floorcast.ops.FloorcastNode;
import floorcast.ops.Migrations;
import floorcast.ops.ApplicationPool;
import floorcast.readside.ReadSideProjection;
import com.zaxxer.hikari.HikariDataSource;
import floorcast.session.SessionFeed;
import floorcast.session.SessionPublisher;
import floorcast.session.SessionSettings;
import floorcast.session.SessionSharding;
import floorcast.session.SessionSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * A single cluster member with session sharding on a durable embedded PostgreSQL (fsync and synchronous_commit on),
 * for benchmarks of the session core. Publications are only counted. {@link #startWithReadSide} also runs the
 * read-side projection as a node does ({@link ReadSideProjection#start}, on an application pool of its own).
 */
final class BenchNode implements AutoCloseable {
  final EmbeddedDatabase database;
  final ActorSystem<Void> system;
  final LongAdder published = new LongAdder();
  private HikariDataSource readSidePool;
  /** The snapshot retention's connections and thread, as a node's JDBC threads delete old snapshots. */
  private HikariDataSource retentionPool;
  private java.util.concurrent.ExecutorService retentionThread;

  private BenchNode(EmbeddedDatabase database, ActorSystem<Void> system) {
    this.database = database;
    this.system = system;
  }

  /** As {@link #start}, plus the read-side projection (pool sized {@code floorcast.database.pool-size}, as a node's). */
  static BenchNode startWithReadSide(Path dataDir, int pgPort, Map<String, Object> overrides) throws Exception {
    BenchNode node = start(dataDir, pgPort, overrides);
    int poolSize = node.system.settings().config().getInt("floorcast.database.pool-size");
    node.readSidePool = ApplicationPool.create(node.database.settings(), poolSize, "bench-read-side");
    ReadSideProjection.start(node.system, node.readSidePool);
    return node;
  }

  static BenchNode start(Path dataDir, int pgPort, Map<String, Object> overrides) throws Exception {
    CommonPoolParallelism.ensureAtLeastTwo(); // as the node's Main does, before anything uses the common pool
    Files.createDirectories(dataDir);
    EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, pgPort, true);
    DatabaseSettings settings = db.settings();
    try (var pool = ApplicationPool.create(settings, 2, "bench-migrate")) {
      Migrations.migrate(pool);
    }
    Config config =
        FloorcastNode.withDatabase(
            ConfigFactory.parseMap(overrides)
                .withFallback(ConfigFactory.parseString(
                    "pekko.remote.artery.canonical.port = 0\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off\n"
                        + "pekko.loglevel = WARNING\n"))
                .withFallback(ConfigFactory.load()),
            settings);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "floorcast", config);
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("node did not come up");
      Thread.sleep(50);
    }
    BenchNode node = new BenchNode(db, system);
    // the node's real meters, so the benchmark pays what a node pays per command
    node.retentionPool = ApplicationPool.create(db.settings(), 1, "bench-snapshot-retention");
    node.retentionThread = java.util.concurrent.Executors.newSingleThreadExecutor();
    SessionSharding.init(
        system,
        SessionSettings.fromConfig(config),
        node.publisher(),
        floorcast.ops.NodeMetrics.get(system.classicSystem()),
        new floorcast.ops.JdbcSnapshotRetention(
            node.retentionPool, node.retentionThread, floorcast.ops.JdbcSnapshotRetention.NEWEST_KEPT));
    return node;
  }

  SessionPublisher publisher() {
    return new SessionPublisher() {
      @Override
      public void publish(SessionFeed feed) {
        published.increment();
      }

      @Override
      public void summaryChanged(SessionSummary summary) {}
    };
  }

  @Override
  public void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    if (readSidePool != null) readSidePool.close();
    retentionThread.shutdown();
    retentionThread.awaitTermination(10, TimeUnit.SECONDS);
    retentionPool.close();
    database.close();
  }

  static Duration arg(String[] args, String name, Duration def) {
    for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return Duration.ofSeconds(Long.parseLong(args[i + 1]));
    return def;
  }

  static int arg(String[] args, String name, int def) {
    for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
    return def;
  }

  static String arg(String[] args, String name, String def) {
    for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
    return def;
  }
}
