package floorcast.load;

import floorcast.session.DancerBatchReply;
import floorcast.session.DancerRequest;
import floorcast.session.SessionCommand;
import floorcast.session.SessionReply;
import floorcast.session.SessionSharding;
import floorcast.session.SessionState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * T5: how long a session takes to recover (snapshot + tail) after it has seen N events, for N in --events
 * (default 1000,10000,100000). Each session's events are listener joins and leaves of 5,000 rotating dancers plus a
 * track change every 500 events; the node is then stopped and a fresh node on the same database answers the first
 * command, timed from the ask (includes the shard's allocation, snapshot load and event replay); then {@code --rounds}
 * times the entity is stopped and asked again (shard allocated, JVM warm) and the median and max are reported.
 *
 * <pre>java -cp … floorcast.load.RecoveryBenchmark --events 1000,10000,100000 --snapshot-every 100</pre>
 */
public final class RecoveryBenchmark {
  public static void main(String[] args) throws Exception {
    String[] sizes = BenchNode.arg(args, "--events", "1000,10000,100000").split(",");
    int snapshotEvery = BenchNode.arg(args, "--snapshot-every", 100);
    int rounds = BenchNode.arg(args, "--rounds", 5);
    Path data = Path.of(BenchNode.arg(args, "--data", "target/bench-recovery-" + System.currentTimeMillis()));
    // remembered entities would start on their own after the restart; off here so the ask times a cold recovery
    Map<String, Object> overrides =
        Map.of("floorcast.session.snapshot-every", snapshotEvery, "pekko.cluster.sharding.remember-entities", "off");
    Duration ask = Duration.ofSeconds(60);
    List<String> ids = new ArrayList<>();
    try (BenchNode node = BenchNode.start(data, 15498, overrides)) {
      for (String size : sizes) {
        int n = Integer.parseInt(size.trim());
        String id = "bench_recovery_" + n;
        ids.add(id);
        EntityRef<SessionCommand> ref = SessionSharding.entityRef(node.system, id);
        ref.<SessionReply>ask(to -> new SessionCommand.Register("r#1", "Bench", null, null, "client_rec_owner", "0.3.0", false, false, to), ask)
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        List<CompletableFuture<?>> window = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          String client = "client_" + (i % 5000) + "_rec";
          boolean join = (i / 5000) % 2 == 0;
          DancerRequest req = join
              ? new DancerRequest.Subscribe("conn#" + (i % 5000), client, null)
              : new DancerRequest.Unsubscribe("conn#" + (i % 5000), client, null);
          window.add(ref.<DancerBatchReply>ask(to -> new SessionCommand.DancerBatch(List.of(req), to), ask).toCompletableFuture());
          if (window.size() >= 200) {
            CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            window.clear();
          }
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        System.out.printf("wrote %d events for %s in %.1f s%n", n, id, (System.nanoTime() - t0) / 1e9);
      }
    }
    // fresh node on the same data directory
    try (BenchNode node = BenchNode.start(data, 15498, overrides)) {
      // warm the JVM and the shard regions with an unrelated session first
      SessionSharding.entityRef(node.system, "bench_warmup").<SessionState>ask(SessionCommand.GetState::new, ask)
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      for (String id : ids) {
        EntityRef<SessionCommand> ref = SessionSharding.entityRef(node.system, id);
        long t0 = System.nanoTime();
        SessionState st = ref.<SessionState>ask(SessionCommand.GetState::new, ask).toCompletableFuture().get(120, TimeUnit.SECONDS);
        long first = (System.nanoTime() - t0) / 1_000_000;
        // again with the shard already allocated and the JVM warm: stop the entity, time its next recovery
        long[] again = new long[rounds];
        for (int r = 0; r < rounds; r++) {
          ref.tell(new SessionCommand.Passivate());
          awaitStopped(node, id);
          long t1 = System.nanoTime();
          ref.<SessionState>ask(SessionCommand.GetState::new, ask).toCompletableFuture().get(120, TimeUnit.SECONDS);
          again[r] = (System.nanoTime() - t1) / 1_000;
        }
        java.util.Arrays.sort(again);
        System.out.printf("RESULT session=%s state=%s first_recovery_ms=%d (shard allocation included) warm_recovery_ms median=%.1f max=%.1f (%d rounds)%n",
            id, st.getClass().getSimpleName(), first, again[rounds / 2] / 1000.0, again[rounds - 1] / 1000.0, rounds);
      }
    }
  }

  /** Waits until no shard of this node hosts the entity any more (its stop message ended it). */
  private static void awaitStopped(BenchNode node, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState state =
          org.apache.pekko.actor.typed.javadsl.AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                  org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState>ask(
                  org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(node.system).shardState(),
                  reply -> new org.apache.pekko.cluster.sharding.typed.GetShardRegionState(SessionSharding.TYPE_KEY, reply),
                  Duration.ofSeconds(5), node.system.scheduler())
              .toCompletableFuture().get(10, TimeUnit.SECONDS);
      boolean hosted = state.getShards().stream().anyMatch(s -> s.getEntityIds().contains(id));
      if (!hosted) return;
      Thread.sleep(5);
    }
    throw new IllegalStateException(id + " still running 30 s after its stop message");
  }
}
