package floorcast.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.util.Version;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Map;
import scala.collection.immutable.Set;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Pekko's least-shard allocation, except that a member which came up less than {@code warmUp} ago gets no shards
 * while an established member can take them, and nothing is rebalanced until every member is established.
 *
 * <p>Why: after a node dies, its sessions are reallocated in one burst. If the dead node's replacement has just
 * joined, plain least-shard allocation sends every orphaned shard to it (it has the fewest), and each session then
 * recovers on a JVM that is still loading classes and filling its pools: in the fault test that took the last
 * session past 10 s. On an established member the same recovery takes 0.5–1.5 s. Once the new member is warm,
 * the usual rebalance moves shards to it by hand-off, while their sessions stay available.
 *
 * <p>If only young members are left (the first node of a cluster, or a whole-cluster restart), they get the shards.
 * During a rolling update (members with different app-versions) the rule is off: plain least-shard allocation sends
 * shards to the new version, so they do not move twice, and spreads them over the restarted nodes instead of piling
 * them onto the one restarted first.
 */
public final class WarmMemberAllocationStrategy
    implements ShardCoordinator.ShardAllocationStrategy, ShardCoordinator.ActorSystemDependentAllocationStrategy {
  private final ShardCoordinator.ShardAllocationStrategy leastShards;
  private final MemberUpTimes upTimes;
  private final Duration warmUp;
  private volatile Cluster cluster;

  public WarmMemberAllocationStrategy(
      ShardCoordinator.ShardAllocationStrategy leastShards, MemberUpTimes upTimes, Duration warmUp) {
    this.leastShards = leastShards;
    this.upTimes = upTimes;
    this.warmUp = warmUp;
  }

  /** Least-shard allocation with the limits of {@code pekko.cluster.sharding.least-shard-allocation-strategy}. */
  public static WarmMemberAllocationStrategy create(
      org.apache.pekko.actor.typed.ActorSystem<?> system, MemberUpTimes upTimes) {
    var config = system.settings().config();
    var limits = config.getConfig("pekko.cluster.sharding.least-shard-allocation-strategy");
    return new WarmMemberAllocationStrategy(
        ShardCoordinator.ShardAllocationStrategy$.MODULE$.leastShardAllocationStrategy(
            limits.getInt("rebalance-absolute-limit"), limits.getDouble("rebalance-relative-limit")),
        upTimes,
        config.getDuration("floorcast.sharding.new-member-warm-up"));
  }

  @Override
  public void start(ActorSystem system) {
    cluster = Cluster.get(system);
    if (leastShards instanceof ShardCoordinator.ActorSystemDependentAllocationStrategy dependent) {
      dependent.start(system);
    } else if (leastShards instanceof ShardCoordinator.StartableAllocationStrategy startable) {
      startable.start();
    }
  }

  @Override
  public Future<ActorRef> allocateShard(
      ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
    return leastShards.allocateShard(requester, shardId, candidates(currentShardAllocations));
  }

  /**
   * The regions a new shard may go to: without the young ones, unless a rolling update is under way (the members
   * run different app-versions: then the new version takes the shards as with plain least-shard allocation, and
   * they do not move twice) or no established member would be left.
   */
  private Map<ActorRef, IndexedSeq<String>> candidates(Map<ActorRef, IndexedSeq<String>> allocations) {
    if (rollingUpdate()) return allocations;
    List<ActorRef> young = new ArrayList<>();
    allocations.keysIterator().foreach(region -> established(region) || young.add(region));
    Map<ActorRef, IndexedSeq<String>> established = allocations.removedAll(CollectionConverters.asScala(young));
    return established.isEmpty() ? allocations : established;
  }

  /** True while the cluster's members (leaving ones included) run more than one app-version. */
  private boolean rollingUpdate() {
    Version first = null;
    for (Member m : cluster.state().getMembers()) {
      if (first == null) first = m.appVersion();
      else if (!first.equals(m.appVersion())) return true;
    }
    return false;
  }

  @Override
  public Future<Set<String>> rebalance(
      Map<ActorRef, IndexedSeq<String>> currentShardAllocations, Set<String> rebalanceInProgress) {
    if (!currentShardAllocations.keySet().forall(this::established)) {
      return Future.successful(scala.collection.immutable.Set$.MODULE$.empty());
    }
    return leastShards.rebalance(currentShardAllocations, rebalanceInProgress);
  }

  /** True if the member hosting {@code region} has been up for at least the warm-up. */
  boolean established(ActorRef region) {
    return member(region).map(m -> upTimes.upFor(m.uniqueAddress(), warmUp)).orElse(false);
  }

  private Optional<Member> member(ActorRef region) {
    Address address = region.path().address();
    if (!address.hasGlobalScope()) address = cluster.selfAddress();
    for (Member m : cluster.state().getMembers()) {
      if (m.address().equals(address)) return Optional.of(m);
    }
    return Optional.empty();
  }
}
