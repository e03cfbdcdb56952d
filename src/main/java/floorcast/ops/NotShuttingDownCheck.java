package floorcast.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * Readiness check: false from the moment coordinated shutdown starts (SIGTERM, leave, downing), so load balancers
 * stop sending new connections before the HTTP binding is unbound (rest.md §6: "not shutting down").
 */
public final class NotShuttingDownCheck implements Supplier<CompletionStage<Boolean>> {
  private final CoordinatedShutdown shutdown;

  public NotShuttingDownCheck(ActorSystem system) {
    this.shutdown = CoordinatedShutdown.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(shutdown.getShutdownReason().isEmpty());
  }
}
