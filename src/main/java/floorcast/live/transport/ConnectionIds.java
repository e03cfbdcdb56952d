package floorcast.live.transport;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Cluster-unique connection ids: this node's host:port, its incarnation uid (a restarted node on the same address
 * must not reuse the ids a session entity may still remember as its DJ connection), and a local counter.
 */
final class ConnectionIds {
  private final String prefix;
  private final AtomicLong counter = new AtomicLong();

  ConnectionIds(ActorSystem<?> system) {
    UniqueAddress self = Cluster.get(system).selfMember().uniqueAddress();
    this.prefix = self.address().hostPort() + "-" + Long.toHexString(self.longUid()) + "-";
  }

  String next() {
    return prefix + counter.incrementAndGet();
  }
}
