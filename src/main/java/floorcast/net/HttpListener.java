package floorcast.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The node's HTTP and /ws listener, over one of two TCP transports ({@code floorcast.http.transport}):
 * {@code nio} (the default: {@link NioHttpServer}, Floorcast's own selector loop beneath pekko-http's server layer)
 * or {@code pekko} (pekko-http's own binding on pekko's TCP actors). Routes, parsing, WebSocket upgrades and settings
 * are pekko-http's either way; docs/benchmarks.md compares the two.
 */
public interface HttpListener {
  InetSocketAddress localAddress();

  /** Stops accepting connections. */
  CompletionStage<Done> unbind();

  /**
   * Stops accepting, ends idle HTTP connections, lets requests in flight finish, and closes whatever is still
   * open after {@code hardDeadline}.
   */
  CompletionStage<Done> terminate(Duration hardDeadline);

  /** As pekko-http's binding does: unbind in service-unbind, terminate in service-requests-done. */
  default void addToCoordinatedShutdown(Duration hardDeadline, ActorSystem<?> system) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-unbind", this::unbind);
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(), "http-terminate", () -> terminate(hardDeadline));
  }

  /** Binds {@code host:port} with the named transport ("nio" or "pekko"). */
  static CompletionStage<HttpListener> bind(
      ActorSystem<?> system, String transport, String host, int port, Route route) {
    switch (transport) {
      case "nio":
        try {
          return CompletableFuture.completedFuture(NioHttpServer.bind(system, host, port, route.flow(system)));
        } catch (java.io.IOException e) {
          return CompletableFuture.failedFuture(e);
        }
      case "pekko":
        return Http.get(system).newServerAt(host, port).bind(route).thenApply(PekkoHttpListener::new);
      default:
        return CompletableFuture.failedFuture(
            new IllegalArgumentException("floorcast.http.transport must be nio or pekko, not " + transport));
    }
  }
}
