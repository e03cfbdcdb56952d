package floorcast.session;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/** Addressing DJ sessions in the cluster: one sharded entity per session id. */
public final class SessionSharding {
  /** Entity type name; also the persistence-id prefix ({@code DjSession|<sessionId>}). Fixed forever. */
  public static final EntityTypeKey<SessionCommand> TYPE_KEY =
      EntityTypeKey.create(SessionCommand.class, "DjSession");

  private SessionSharding() {}

  public static EntityRef<SessionCommand> entityRef(ActorSystem<?> system, String sessionId) {
    return ClusterSharding.get(system).entityRefFor(TYPE_KEY, sessionId);
  }
}
