package floorcast.ops;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point. {@code Main} (or {@code Main serve}) runs a node: embedded PostgreSQL unless {@code DATABASE_URL}
 * is set, Flyway migrations, the cluster member and the HTTP/WebSocket server. Other sub-commands: see
 * {@link #main}. Stops gracefully on SIGTERM (coordinated shutdown runs from the JVM shutdown hook).
 */
public final class Main {
  private static final int COMMON_POOL_PARALLELISM = CommonPoolParallelism.ensureAtLeastTwo(); // before anything else
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "serve" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "serve" -> serve();
      case "dj" -> floorcast.dj.DjClient.main(rest);
      case "import-pika" -> System.exit(floorcast.readside.PikaImport.run(rest, System.out, System.err));
      default -> {
        System.err.println("usage: floorcast [serve | dj … | import-pika --from <jdbc-url>]");
        System.exit(2);
      }
    }
    if (rest.length > 0) log.debug("ignored arguments {}", Arrays.toString(rest));
  }

  static void serve() throws Exception {
    Config config = ConfigFactory.load();
    // -Dfloorcast.parent-pid=<pid>: exit when the starting process (a multi-JVM test) dies
    ParentWatchdog.startFromConfig(config);
    // refuses to start in production mode with an unsafe configuration, saying why
    ProductionConfigCheck.requireSafe(config);
    ConfiguredDatabase database = ConfiguredDatabase.open(config);
    DatabaseSettings db = database.settings();
    log.info("database: {}; common fork-join pool parallelism {}", db, COMMON_POOL_PARALLELISM);
    FloorcastNode node;
    try {
      node = FloorcastNode.start(config, db);
    } catch (Exception e) {
      database.close();
      throw e;
    }
    // JVM shutdown hooks run concurrently: wait for the coordinated shutdown to finish before stopping PostgreSQL.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    // The classic system's termination future itself: when the cluster downed this node,
                    // coordinated shutdown calls System.exit from a callback of that future, so any future derived
                    // from it by a later callback (the typed whenTerminated / getWhenTerminated) never completes and
                    // this hook would hold the downed JVM for the whole timeout (seen in RollingRestartFaultIT).
                    scala.concurrent.Await.ready(
                        Adapter.toClassic(node.system()).whenTerminated(),
                        scala.concurrent.duration.Duration.create(90, TimeUnit.SECONDS));
                  } catch (Exception ignored) {
                    // stopping anyway
                  }
                  try {
                    database.close();
                  } catch (Exception e) {
                    log.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
                  }
                },
                "floorcast-stop-database"));
    node.system().getWhenTerminated().toCompletableFuture().get();
  }
}
