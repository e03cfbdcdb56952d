package floorcast.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;

/**
 * The shards and entities this node hosts, per entity type, asked from the local shard regions
 * ({@code GetShardRegionState}). Feeds the shard/entity gauges of {@link NodeMetrics} and the debug view.
 */
final class LocalShards {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);

  private LocalShards() {}

  /** entity type name → shard id → entity ids; types whose region does not answer are left out. */
  static CompletionStage<Map<String, Map<String, Set<String>>>> query(ActorSystem system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    List<CompletableFuture<Map.Entry<String, Map<String, Set<String>>>>> parts = new ArrayList<>();
    for (String typeName : sharding.getShardTypeNames()) {
      ActorRef region;
      try {
        region = sharding.shardRegion(typeName);
      } catch (IllegalStateException | IllegalArgumentException notStartedHere) {
        continue;
      }
      parts.add(
          Patterns.ask(region, ShardRegion.getShardRegionStateInstance(), ASK_TIMEOUT)
              .toCompletableFuture()
              .handle(
                  (reply, failure) -> {
                    if (!(reply instanceof ShardRegion.CurrentShardRegionState state)) return null;
                    Map<String, Set<String>> shards = new TreeMap<>();
                    for (ShardRegion.ShardState shard : state.getShards()) {
                      shards.put(shard.shardId(), new TreeSet<>(shard.getEntityIds()));
                    }
                    return Map.entry(typeName, shards);
                  }));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              Map<String, Map<String, Set<String>>> result = new TreeMap<>();
              for (CompletableFuture<Map.Entry<String, Map<String, Set<String>>>> part : parts) {
                Map.Entry<String, Map<String, Set<String>>> e = part.join();
                if (e != null) result.put(e.getKey(), e.getValue());
              }
              return result;
            });
  }

  /** Refreshes the shard and entity gauges every {@code floorcast.ops.shard-gauge-interval} for the life of the system. */
  static void pollInto(ActorSystem system, NodeMetrics metrics) {
    Duration interval = system.settings().config().getDuration("floorcast.ops.shard-gauge-interval");
    system
        .scheduler()
        .scheduleWithFixedDelay(
            interval,
            interval,
            () ->
                query(system)
                    .thenAccept(
                        byType -> {
                          int shards = 0;
                          int entities = 0;
                          for (Map<String, Set<String>> perShard : byType.values()) {
                            shards += perShard.size();
                            for (Set<String> ids : perShard.values()) entities += ids.size();
                          }
                          metrics.shardCounts(shards, entities);
                        }),
            system.dispatcher());
  }
}
