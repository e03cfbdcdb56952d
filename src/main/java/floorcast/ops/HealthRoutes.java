package floorcast.ops;

import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import floorcast.wire.Timestamps;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /health}, {@code /health/live}, {@code /health/ready} (rest.md §6). The database probe is one trivial
 * query with a 2 s timeout, cached for 1 s (the Pika! desktop polls /health every 5 s per DJ).
 */
public final class HealthRoutes {
  private static final long CACHE_MILLIS = 1_000;

  private final DataSource dataSource;
  private final Executor blocking;
  private final IntSupplier activeSessions;
  private final Supplier<CompletionStage<Boolean>> ready;
  private final AtomicReference<Probe> last = new AtomicReference<>(new Probe(0, false));

  private record Probe(long atMillis, boolean ok) {}

  /** @param ready the node's own readiness besides the database (member Up, not shutting down, pub/sub) */
  public HealthRoutes(
      DataSource dataSource, Executor blocking, IntSupplier activeSessions, Supplier<CompletionStage<Boolean>> ready) {
    this.dataSource = dataSource;
    this.blocking = blocking;
    this.activeSessions = activeSessions;
    this.ready = ready;
  }

  /** Database answers a trivial query within 2 s (cached 1 s). */
  public CompletionStage<Boolean> databaseOk() {
    Probe p = last.get();
    long now = System.currentTimeMillis();
    if (now - p.atMillis < CACHE_MILLIS) return CompletableFuture.completedFuture(p.ok);
    return CompletableFuture.supplyAsync(this::probe, blocking)
        .completeOnTimeout(false, 2_000, java.util.concurrent.TimeUnit.MILLISECONDS) // rest.md §5: 503 after 2 s
        .thenApply(
            ok -> {
              last.set(new Probe(System.currentTimeMillis(), ok));
              return ok;
            });
  }

  private boolean probe() {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.setQueryTimeout(2);
      st.execute("SELECT 1");
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  public Route route() {
    return concat(
        path(
            segment("health").slash("live"),
            () -> get(() -> complete(json(200, "{\"status\":\"ok\"}")))),
        path(
            segment("health").slash("ready"),
            () ->
                get(
                    () ->
                        onSuccess(
                            databaseOk().thenCombine(ready.get(), (dbOk, nodeOk) -> dbOk && nodeOk),
                            ok ->
                                complete(
                                    ok
                                        ? json(200, "{\"status\":\"ready\"}")
                                        : json(503, "{\"status\":\"not_ready\"}"))))),
        path(
            "health",
            () ->
                get(
                    () ->
                        onSuccess(
                            databaseOk(),
                            dbOk -> {
                              String ts = Timestamps.format(Instant.now());
                              if (dbOk) {
                                return complete(
                                    json(
                                        200,
                                        "{\"status\":\"ok\",\"version\":\"0.3.0\",\"timestamp\":\""
                                            + ts
                                            + "\",\"activeSessions\":"
                                            + activeSessions.getAsInt()
                                            + ",\"database\":\"connected\"}"));
                              }
                              return complete(
                                  json(
                                      503,
                                      "{\"status\":\"error\",\"version\":\"0.3.0\",\"timestamp\":\""
                                          + ts
                                          + "\",\"error\":\"Database unavailable\"}"));
                            }))));
  }

  private static HttpResponse json(int status, String body) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }
}
