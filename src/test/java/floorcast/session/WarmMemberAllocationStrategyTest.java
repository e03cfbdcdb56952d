package floorcast.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import floorcast.ops.DatabaseSettings;
import floorcast.serialization.CborSerializable;
import floorcast.testing.ClusterSystems;
import floorcast.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WarmMemberAllocationStrategy} in a real two-node cluster: while the second node is new, every shard goes
 * to the established one (plain least-shard allocation would alternate between the two, the second having fewer);
 * once the warm-up has passed, the rebalance hands shards over to it.
 */
class WarmMemberAllocationStrategyTest {
  private static final Duration WARM_UP = Duration.ofSeconds(15);
  private static final EntityTypeKey<WhereAreYou> KEY = EntityTypeKey.create(WhereAreYou.class, "WarmUpProbe");
  private static final int ENTITIES = 20;

  /** Asks an entity which node it lives on. */
  public record WhereAreYou(ActorRef<String> replyTo) implements CborSerializable {}

  private final List<ActorSystem<Void>> systems = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ActorSystem<Void> s : systems) s.terminate();
    for (ActorSystem<Void> s : systems) s.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void initProbes(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(
            Entity.of(KEY, ctx -> Behaviors.setup(c -> {
                  String node = Cluster.get(c.getSystem()).selfMember().address().toString();
                  return Behaviors.receive(WhereAreYou.class)
                      .onMessage(WhereAreYou.class, m -> {
                        m.replyTo().tell(node);
                        return Behaviors.same();
                      })
                      .build();
                }))
                .withAllocationStrategy(WarmMemberAllocationStrategy.create(system, MemberUpTimes.follow(system))));
  }

  private static Set<String> regionsKnownToCoordinator(ActorSystem<?> system) throws Exception {
    org.apache.pekko.actor.ActorRef region =
        org.apache.pekko.cluster.sharding.ClusterSharding.get(Adapter.toClassic(system)).shardRegion(KEY.name());
    Object reply =
        Patterns.ask(region, ShardRegion.getCurrentRegionsInstance(), Duration.ofSeconds(5))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    Set<String> addresses = new HashSet<>();
    ((ShardRegion.CurrentRegions) reply).getRegions().forEach(a -> addresses.add(a.toString()));
    return addresses;
  }

  /** Node address per entity, entities "e0".."e19" (the default extractor spreads them over shards). */
  private static List<String> homes(ActorSystem<?> system) throws Exception {
    List<String> homes = new ArrayList<>();
    for (int i = 0; i < ENTITIES; i++) {
      homes.add(
          ClusterSharding.get(system)
              .entityRefFor(KEY, "e" + i)
              .<String>ask(WhereAreYou::new, Duration.ofSeconds(10))
              .toCompletableFuture()
              .get(15, TimeUnit.SECONDS));
    }
    return homes;
  }

  private record TwoNodes(ActorSystem<Void> established, ActorSystem<Void> newcomer, long newcomerUpNanos) {
    String a() {
      return ClusterSystems.address(established).toString();
    }

    String b() {
      return ClusterSystems.address(newcomer).toString();
    }
  }

  /** An established node, then a second one joining; both regions known to the coordinator. */
  private TwoNodes twoNodes(String newcomerVersion) throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    Map<String, Object> overrides =
        Map.of(
            "floorcast.sharding.new-member-warm-up", WARM_UP.toMillis() + "ms",
            "pekko.cluster.sharding.rebalance-interval", "1s",
            "pekko.cluster.app-version", "1.0.0");
    ActorSystem<Void> established = ClusterSystems.start("warm-a", db, null, overrides);
    systems.add(established);
    initProbes(established);
    Map<String, Object> newcomerOverrides = new java.util.HashMap<>(overrides);
    newcomerOverrides.put("pekko.cluster.app-version", newcomerVersion);
    ActorSystem<Void> newcomer =
        ClusterSystems.start("warm-b", db, ClusterSystems.address(established), newcomerOverrides);
    long newcomerUp = System.nanoTime();
    systems.add(newcomer);
    initProbes(newcomer);
    ClusterSystems.await(Duration.ofSeconds(30), () -> {
      try {
        return regionsKnownToCoordinator(established).size() == 2;
      } catch (Exception e) {
        return false;
      }
    });
    return new TwoNodes(established, newcomer, newcomerUp);
  }

  @Test
  void aNewMemberGetsNoShardsUntilWarmThenTheRebalanceMovesSomeToIt() throws Exception {
    TwoNodes nodes = twoNodes("1.0.0");
    List<String> whileNew = homes(nodes.established());
    long askedWithin = System.nanoTime() - nodes.newcomerUpNanos();
    // the check only means something if every allocation happened inside the warm-up
    org.junit.jupiter.api.Assumptions.assumeTrue(askedWithin < WARM_UP.toNanos(), "machine too slow for the warm-up");
    assertEquals(List.of(nodes.a()), whileNew.stream().distinct().toList(), "allocated while " + nodes.b() + " was new");

    ClusterSystems.await(Duration.ofSeconds(60), () -> {
      try {
        return homes(nodes.established()).contains(nodes.b());
      } catch (Exception e) {
        return false;
      }
    });
  }

  @Test
  void aNewMemberWithANewerAppVersionGetsTheShardsAtOnceAsInARollingUpdate() throws Exception {
    TwoNodes nodes = twoNodes("1.0.1");
    List<String> homes = homes(nodes.established());
    assertEquals(List.of(nodes.b()), homes.stream().distinct().toList(), "a rolling update moves shards to the new version");
  }
}
