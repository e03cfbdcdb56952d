package floorcast.ops;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Readiness check {@code pubsub} (management.conf): this node's cluster pub/sub subscriptions are known by every
 * other Up member and it knows theirs ({@link PubSubReadiness}; the condition is
 * {@code floorcast.live.transport.SubscriptionReadiness}). Until then a publish elsewhere can miss this node's
 * dancers and lobby watchers, so load balancers must not send them here yet.
 */
public final class PubSubReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final PubSubReadiness readiness;

  public PubSubReadinessCheck(ActorSystem system) {
    this.readiness = PubSubReadiness.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return readiness.check();
  }
}
