package floorcast.api;

import static org.apache.pekko.http.javadsl.server.Directives.concat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariDataSource;
import floorcast.ops.ApplicationPool;
import floorcast.ops.DatabaseSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A real HTTP server on port 0 serving the auth routes wrapped in {@link HttpHygiene}, the way a node wires them,
 * on a real PostgreSQL database. Several may share one database (they then behave like nodes of one cluster).
 */
final class AuthTestServer implements AutoCloseable {
  final ActorSystem<Void> system;
  final HikariDataSource dataSource;
  final ExecutorService jdbc;
  final AuthRoutes auth;
  final SecuritySettings settings;
  private final ServerBinding binding;

  private AuthTestServer(
      ActorSystem<Void> system, HikariDataSource ds, ExecutorService jdbc, AuthRoutes auth, SecuritySettings s, ServerBinding b) {
    this.system = system;
    this.dataSource = ds;
    this.jdbc = jdbc;
    this.auth = auth;
    this.settings = s;
    this.binding = b;
  }

  static Config config(Map<String, Object> overrides) {
    return ConfigFactory.parseMap(overrides)
        .withFallback(
            ConfigFactory.parseString(
                "pekko.actor.provider = local\n"
                    + "pekko.coordinated-shutdown.exit-jvm = off\n"
                    + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
                    + "pekko.http.server.remote-address-attribute = on\n"
                    + "pekko.loglevel = WARNING\n"
                    + "floorcast.env = test\n"
                    + "floorcast.security.password-hashing.threads = 2\n"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  static AuthTestServer start(DatabaseSettings db, Map<String, Object> overrides, Route... extra) throws Exception {
    Config config = config(overrides);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "auth-test", config);
    HikariDataSource ds = ApplicationPool.create(db, 4, "auth-test");
    ExecutorService jdbc = Executors.newFixedThreadPool(4);
    SecuritySettings s = SecuritySettings.from(config);
    AuthRoutes auth = AuthRoutes.create(system, ds, jdbc, s);
    List<Route> routes = new ArrayList<>();
    routes.add(auth.route());
    routes.addAll(List.of(extra));
    Route all = HttpHygiene.from(s, system).wrap(concat(routes.get(0), routes.subList(1, routes.size()).toArray(new Route[0])));
    ServerBinding b =
        Http.get(system).newServerAt("127.0.0.1", 0).bind(all).toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new AuthTestServer(system, ds, jdbc, auth, s, b);
  }

  int port() {
    return binding.localAddress().getPort();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing anyway
    }
    jdbc.shutdownNow();
    dataSource.close();
  }
}
