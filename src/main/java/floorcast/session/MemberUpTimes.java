package floorcast.session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * When each cluster member came up, as this node saw it, so that the shard coordinator can tell a member that joined
 * moments ago (a cold JVM: classes not loaded, no JIT, empty pools) from an established one. Members that were up
 * before this node itself count as established: their up time is unknown here and does not matter.
 */
public final class MemberUpTimes {
  /** Up time of a member that was already up when this node joined. */
  private static final long ESTABLISHED = Long.MIN_VALUE;

  private final Map<UniqueAddress, Long> upSinceNanos = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  private MemberUpTimes(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Starts following the membership of {@code system}'s cluster from now on. */
  public static MemberUpTimes follow(ActorSystem<?> system) {
    MemberUpTimes times = new MemberUpTimes(System::nanoTime);
    Cluster cluster = Cluster.get(system);
    Behavior<ClusterEvent.MemberEvent> listener =
        Behaviors.setup(
            ctx -> {
              cluster.subscriptions().tell(Subscribe.create(ctx.getSelf(), ClusterEvent.MemberEvent.class));
              return Behaviors.receive(ClusterEvent.MemberEvent.class)
                  .onMessage(ClusterEvent.MemberUp.class, up -> {
                    times.up(up.member(), cluster.selfMember());
                    return Behaviors.same();
                  })
                  .onMessage(ClusterEvent.MemberRemoved.class, removed -> {
                    times.upSinceNanos.remove(removed.member().uniqueAddress());
                    return Behaviors.same();
                  })
                  .onMessage(ClusterEvent.MemberEvent.class, other -> Behaviors.same())
                  .build();
            });
    system.systemActorOf(listener, "member-up-times", Props.empty());
    return times;
  }

  private void up(Member member, Member self) {
    boolean before = member.uniqueAddress().equals(self.uniqueAddress()) || member.isOlderThan(self);
    upSinceNanos.putIfAbsent(member.uniqueAddress(), before ? ESTABLISHED : nanoClock.getAsLong());
  }

  /**
   * True if {@code member} has been up for at least {@code warmUp}. A member this node has not seen come up yet is
   * the newest there is: not established.
   */
  public boolean upFor(UniqueAddress member, Duration warmUp) {
    Long since = upSinceNanos.get(member);
    if (since == null) return false;
    return since == ESTABLISHED || nanoClock.getAsLong() - since >= warmUp.toNanos();
  }
}
