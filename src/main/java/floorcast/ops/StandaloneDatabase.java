package floorcast.ops;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs only the embedded PostgreSQL (same binaries and durability settings as a single node) until SIGTERM, for
 * setups where the database must outlive the nodes: {@code deploy/local-cluster.sh} and multi-JVM tests, where a
 * node that owns the database could not be killed (stack.md P11). Listens on localhost only.
 *
 * <p>Usage: {@code StandaloneDatabase <data-dir> <port>}.
 */
public final class StandaloneDatabase {
  private static final Logger log = LoggerFactory.getLogger(StandaloneDatabase.class);

  private StandaloneDatabase() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: StandaloneDatabase <data-dir> <port>");
      System.exit(2);
    }
    int port;
    try {
      port = Integer.parseInt(args[1]);
    } catch (NumberFormatException e) {
      System.err.println("port must be a number: " + args[1]);
      System.exit(2);
      return;
    }
    EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]), port, true);
    log.info("PostgreSQL ready: {}", db.settings());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    db.close();
                  } catch (Exception e) {
                    log.warn("PostgreSQL did not stop cleanly: {}", e.toString());
                  }
                  stopped.countDown();
                },
                "floorcast-stop-database"));
    stopped.await();
  }
}
