package floorcast.ops;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default database of the run command: a real PostgreSQL (binaries from the package registry) whose data
 * lives under {@code <data-dir>/pg} and survives restarts. Durability is switched on (the library defaults to
 * fsync and synchronous_commit off).
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static EmbeddedDatabase start(Path dataDir, int port, boolean durable) throws IOException {
    Path pgDir = dataDir.resolve("pg").toAbsolutePath();
    Files.createDirectories(pgDir);
    stopStaleServer(pgDir);
    String onOff = durable ? "on" : "off";
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(pgDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("fsync", onOff)
            .setServerConfig("synchronous_commit", onOff)
            .setServerConfig("full_page_writes", onOff)
            .setServerConfig("max_connections", "300")
            .setServerConfig("shared_buffers", "256MB")
            .start();
    log.info("embedded PostgreSQL on port {} with data in {} (durable={})", port, pgDir, durable);
    return new EmbeddedDatabase(pg);
  }

  /**
   * A JVM killed with SIGKILL leaves its PostgreSQL running and holding the data directory (stack guide P11):
   * stop it before starting a new one.
   */
  private static void stopStaleServer(Path pgDir) {
    Path pidFile = pgDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) return;
    try {
      String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
      long pid = Long.parseLong(first);
      Optional<ProcessHandle> stale = ProcessHandle.of(pid);
      if (stale.isPresent() && stale.get().isAlive()) {
        log.warn("stopping stale embedded PostgreSQL (pid {}) left by a killed node", pid);
        stale.get().destroy();
        stale.get().onExit().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      log.warn("could not inspect {}: {}", pidFile, e.toString());
    }
  }

  public DatabaseSettings settings() {
    return new DatabaseSettings(
        DatabaseSettings.withBatchedInserts(postgres.getJdbcUrl("postgres", "postgres")), "postgres", "");
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
