package floorcast.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * Where the live gateway plugs in its pub/sub readiness condition (one per ActorSystem), so the management
 * readiness check ({@link PubSubReadinessCheck}) and {@code /health/ready} can ask it without depending on the
 * gateway's classes: {@code PubSubReadiness.get(system).supply(gateway.subscriptionReadiness()::check)}. Not ready
 * until a condition is supplied.
 */
public final class PubSubReadiness implements Extension {
  private final AtomicReference<Supplier<CompletionStage<Boolean>>> source = new AtomicReference<>();

  public static PubSubReadiness get(ClassicActorSystemProvider system) {
    return Id.INSTANCE.get(system);
  }

  public void supply(Supplier<CompletionStage<Boolean>> condition) {
    source.set(condition);
  }

  /** False until the gateway has supplied its condition. */
  public CompletionStage<Boolean> check() {
    Supplier<CompletionStage<Boolean>> s = source.get();
    return s == null ? CompletableFuture.completedFuture(false) : s.get();
  }

  /** Extension id: one per ActorSystem. */
  public static final class Id extends AbstractExtensionId<PubSubReadiness> {
    public static final Id INSTANCE = new Id();

    private Id() {}

    @Override
    public PubSubReadiness createExtension(ExtendedActorSystem system) {
      return new PubSubReadiness();
    }
  }
}
