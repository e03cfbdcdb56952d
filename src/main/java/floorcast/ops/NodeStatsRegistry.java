package floorcast.ops;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * Where the gateway registers the supplier of its {@link NodeStats} (one per ActorSystem), so the management
 * debug view can show connections without depending on the gateway's classes:
 * {@code NodeStatsRegistry.get(system).supply(() -> new NodeStats(...))}. The supplier is called on each debug
 * request, off the gateway's hot path; it must be cheap and thread-safe.
 */
public final class NodeStatsRegistry implements Extension {
  private final AtomicReference<Supplier<NodeStats>> source = new AtomicReference<>();

  public static NodeStatsRegistry get(ClassicActorSystemProvider system) {
    return Id.INSTANCE.get(system);
  }

  public void supply(Supplier<NodeStats> stats) {
    source.set(stats);
  }

  /** Empty until the gateway has registered its supplier. */
  public Optional<NodeStats> current() {
    Supplier<NodeStats> s = source.get();
    return s == null ? Optional.empty() : Optional.ofNullable(s.get());
  }

  /** Extension id: one registry per ActorSystem. */
  public static final class Id extends AbstractExtensionId<NodeStatsRegistry> {
    public static final Id INSTANCE = new Id();

    private Id() {}

    @Override
    public NodeStatsRegistry createExtension(ExtendedActorSystem system) {
      return new NodeStatsRegistry();
    }
  }
}
