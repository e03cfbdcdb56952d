package floorcast.api;

import floorcast.net.HttpListener;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariDataSource;
import floorcast.ops.ApplicationPool;
import floorcast.ops.DatabaseSettings;
import floorcast.readside.SqlTokenAuthenticator;
import floorcast.session.SessionSummary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.server.Directives;

/** The read-side routes on a real HTTP binding (port 0) over a real PostgreSQL database. */
final class RestHarness implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Reply(int status, String body, java.net.http.HttpHeaders headers) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  final HikariDataSource dataSource;
  final List<SessionSummary> live = new CopyOnWriteArrayList<>();
  final ReadSideRoutes routes;
  private final ActorSystem<Void> system;
  private final ExecutorService blocking;
  private final HttpListener binding;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  RestHarness(DatabaseSettings db, boolean debugEnabled, Duration cacheTtl, Clock clock) throws Exception {
    this(db, debugEnabled, cacheTtl, ReadSideRoutes.DEFAULT_RECAP_CACHE_BYTES, clock);
  }

  RestHarness(DatabaseSettings db, boolean debugEnabled, Duration cacheTtl, long recapCacheBytes, Clock clock) throws Exception {
    dataSource = ApplicationPool.create(db, 4, "rest-test");
    blocking = Executors.newFixedThreadPool(4);
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "rest-test",
            ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING\npekko.coordinated-shutdown.exit-jvm = off\npekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off").withFallback(ConfigFactory.load()));
    routes =
        new ReadSideRoutes(
            dataSource, blocking, () -> live, new SqlTokenAuthenticator(dataSource, blocking), debugEnabled, cacheTtl,
            recapCacheBytes, clock);
    binding =
        HttpListener.bind(
                system,
                system.settings().config().getString("floorcast.http.transport"),
                "127.0.0.1",
                0,
                Directives.concat(routes.route(), ReadSideRoutes.notFound()))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  RestHarness(DatabaseSettings db) throws Exception {
    this(db, false, Duration.ZERO, Clock.systemUTC());
  }

  Reply get(String path, String... headers) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
  }

  Reply post(String path, String body, String... headers) {
    return send(
        HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)),
        headers);
  }

  Reply method(String method, String path) {
    return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
  }

  private Reply send(HttpRequest.Builder b, String... headers) {
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    try {
      HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Status and JSON body exactly (key order free, types and explicit nulls exact). */
  static void assertJson(int status, String expectedJson, Reply reply) {
    assertEquals(status, reply.status(), reply.body());
    try {
      assertEquals(JSON.readTree(expectedJson), reply.json(), reply.body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
    assertEquals("application/json", reply.headers().firstValue("Content-Type").orElse(""));
  }

  @Override
  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    blocking.shutdown();
    dataSource.close();
  }
}
