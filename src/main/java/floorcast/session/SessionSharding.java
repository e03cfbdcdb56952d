package floorcast.session;

import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;

/** Addressing DJ sessions in the cluster: one sharded entity per session id. */
public final class SessionSharding {
  /** Entity type name; also the persistence-id prefix ({@code DjSession|<sessionId>}). Fixed forever. */
  public static final EntityTypeKey<SessionCommand> TYPE_KEY =
      EntityTypeKey.create(SessionCommand.class, "DjSession");

  private SessionSharding() {}

  /**
   * Starts this node's shard region. Live sessions are remembered entities (cluster.conf), so they restart after a
   * rebalance or a whole-cluster restart and re-arm their durable timers; ended ones passivate themselves. Shards
   * go to established members first ({@link WarmMemberAllocationStrategy}).
   */
  public static ActorRef<ShardingEnvelope<SessionCommand>> init(
      ActorSystem<?> system,
      SessionSettings settings,
      SessionPublisher publisher,
      SessionMetrics metrics,
      SnapshotRetention snapshotRetention) {
    return ClusterSharding.get(system)
        .init(
            Entity.of(
                    TYPE_KEY,
                    ctx ->
                        DjSession.create(
                            ctx.getEntityId(),
                            settings,
                            publisher,
                            metrics,
                            snapshotRetention,
                            Clock.systemUTC(),
                            ctx.getShard()))
                .withStopMessage(new SessionCommand.Passivate())
                .withAllocationStrategy(WarmMemberAllocationStrategy.create(system, MemberUpTimes.follow(system))));
  }

  public static EntityRef<SessionCommand> entityRef(ActorSystem<?> system, String sessionId) {
    return ClusterSharding.get(system).entityRefFor(TYPE_KEY, sessionId);
  }
}
