package floorcast.ops;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness check {@code database} (management.conf): the journal's database answers {@code SELECT 1} within 2 s
 * (rest.md §6 "the stores answer"). It checks the same database the journal writes to
 * ({@code pekko-persistence-jdbc.shared-databases.default.db}, filled in by {@link FloorcastNode#withDatabase}),
 * over one dedicated connection so a saturated pool cannot make a healthy database look down, and caches the
 * answer for 1 s because probes from Kubernetes, scripts and operators may overlap.
 */
public final class DatabaseReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private static final Logger log = LoggerFactory.getLogger(DatabaseReadinessCheck.class);
  private static final long CACHE_MILLIS = 1_000;
  private static final int QUERY_TIMEOUT_SECONDS = 2;

  private final String url;
  private final Properties connectionProperties = new Properties();
  private final Executor blocking;
  private final AtomicReference<Answer> last = new AtomicReference<>(new Answer(0, false));
  private final AtomicReference<CompletableFuture<Boolean>> inFlight = new AtomicReference<>();
  private final Object connectionLock = new Object();
  private Connection connection; // guarded by connectionLock
  private boolean closed; // guarded by connectionLock

  private record Answer(long atMillis, boolean ok) {}

  public DatabaseReadinessCheck(ActorSystem system) {
    Config db = system.settings().config().getConfig("pekko-persistence-jdbc.shared-databases.default.db");
    this.url = db.getString("url");
    connectionProperties.setProperty("user", db.getString("user"));
    connectionProperties.setProperty("password", db.getString("password"));
    connectionProperties.setProperty("ApplicationName", "floorcast-readiness");
    connectionProperties.setProperty("connectTimeout", "2");
    connectionProperties.setProperty("loginTimeout", "2");
    // a hung server must not pin the probe thread for longer than a few probes
    connectionProperties.setProperty("socketTimeout", "5");
    this.blocking = system.dispatchers().lookup("pekko.actor.default-blocking-io-dispatcher");
    system.registerOnTermination(this::close);
  }

  @Override
  public CompletionStage<Boolean> get() {
    Answer a = last.get();
    if (System.currentTimeMillis() - a.atMillis < CACHE_MILLIS) {
      return CompletableFuture.completedFuture(a.ok);
    }
    CompletableFuture<Boolean> running = inFlight.get();
    if (running != null) return running;
    CompletableFuture<Boolean> probe = new CompletableFuture<>();
    if (!inFlight.compareAndSet(null, probe)) return inFlight.get();
    CompletableFuture.supplyAsync(this::probe, blocking)
        .completeOnTimeout(false, QUERY_TIMEOUT_SECONDS * 1_000L + 500, TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, failure) -> {
              boolean result = failure == null && Boolean.TRUE.equals(ok);
              last.set(new Answer(System.currentTimeMillis(), result));
              inFlight.set(null);
              probe.complete(result);
            });
    return probe;
  }

  private boolean probe() {
    synchronized (connectionLock) {
      if (closed) return false;
      try {
        if (connection == null || connection.isClosed()) {
          connection = DriverManager.getConnection(url, connectionProperties);
        }
        try (Statement st = connection.createStatement()) {
          st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
          st.execute("SELECT 1");
        }
        return true;
      } catch (SQLException e) {
        log.warn("readiness: database does not answer: {}", e.getMessage());
        closeConnection();
        return false;
      }
    }
  }

  private void close() {
    synchronized (connectionLock) {
      closed = true;
      closeConnection();
    }
  }

  private void closeConnection() {
    if (connection == null) return;
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the connection is being discarded anyway
    }
    connection = null;
  }
}
