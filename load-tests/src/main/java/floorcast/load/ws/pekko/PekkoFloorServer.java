package floorcast.load.ws.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import floorcast.net.NioHttpServer;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * What the two pekko-http floors share, so that the pekko-http WebSocket API is the only difference between them:
 * one ActorSystem with the same settings, one server binding answering every WebSocket upgrade (any path, like
 * {@link floorcast.load.ws.FloorServer}; anything else gets 400), the per-connection queue capacity, a bounded
 * lifetime, and the counters printed at the end.
 *
 * <p>The ActorSystem is configured from pekko's reference settings plus the lines below only: Floorcast's own
 * application.conf is on this module's classpath (cluster, persistence) and must not be loaded. The HTTP server
 * settings follow Floorcast's http.conf where they matter at 10k connections (max-connections), with no idle timeout
 * and no keep-alive pings, as the NIO floor has none.
 *
 * <p>Usage: {@code <main class> <port> <seconds> [queue capacity in frames, default 1024] [nio]}; {@code nio}: the
 * same pekko-http server layer over Floorcast's own TCP transport ({@link NioHttpServer}) instead of pekko's TCP
 * actors. Loopback only.
 */
final class PekkoFloorServer {
  /** One way of upgrading a connection onto the floor's fan-out. */
  interface Floor {
    /** The 101 response running this floor's per-connection stream. */
    HttpResponse accept(WebSocketUpgrade upgrade);

    /** Counters for the final line (broadcasts, deliveries, overflow closes). */
    String stats();
  }

  static final int DEFAULT_QUEUE_CAPACITY = 1024;

  private static final String CONFIG = """
      pekko.loglevel = WARNING
      pekko.http.server {
        idle-timeout = infinite
        max-connections = 19000
        backlog = 4096
        websocket.periodic-keep-alive-max-idle = infinite
      }
      """;

  private PekkoFloorServer() {}

  static int queueCapacity(String[] args) {
    return args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_QUEUE_CAPACITY;
  }

  /** Starts the floor made by {@code floorFactory}, serves until {@code args[1]} seconds are over, then stops. */
  static void run(String name, String[] args, Function<ActorSystem, Floor> floorFactory) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: " + name + " <port> <seconds> [queue capacity, default " + DEFAULT_QUEUE_CAPACITY + "]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    long seconds = Long.parseLong(args[1]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Config config = ConfigFactory.parseString(CONFIG).withFallback(ConfigFactory.defaultReference()).resolve();
    ActorSystem system = ActorSystem.create("floor", config);
    try {
      Floor floor = floorFactory.apply(system);
      Function<HttpRequest, HttpResponse> handler = request -> {
        Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
        return upgrade.isPresent() ? floor.accept(upgrade.get()) : HttpResponse.create().withStatus(StatusCodes.BAD_REQUEST);
      };
      boolean nio = args.length > 3 && args[3].equals("nio");
      ServerBinding binding = null;
      NioHttpServer nioServer = null;
      if (nio) {
        nioServer = NioHttpServer.bind(system, "127.0.0.1", port, Flow.of(HttpRequest.class).map(handler::apply));
        System.out.println(name + " (Floorcast's NIO transport) listening on " + nioServer.localAddress());
      } else {
        binding = Http.get(system)
            .newServerAt("127.0.0.1", port)
            .bindSync(handler::apply)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
        System.out.println(name + " listening on " + binding.localAddress());
      }
      long left;
      while ((left = deadline - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(left); // the lifetime, not a wait for an event
      System.out.println(name + ": " + floor.stats());
      if (nio) nioServer.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      else binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      // also when the bind fails: the ActorSystem's threads would otherwise keep the JVM alive past its lifetime
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
