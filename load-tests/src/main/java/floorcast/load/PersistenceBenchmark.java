package floorcast.load;

import floorcast.session.DancerBatchReply;
import floorcast.session.DancerRequest;
import floorcast.session.SessionCommand;
import floorcast.session.SessionReply;
import floorcast.session.SessionSharding;
import floorcast.session.TrackInfo;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * T4: persisted events per second across many concurrently active sessions, with persist (command → reply after
 * the write) latency percentiles. Each request is one dancer tempo vote from a fresh clientId: exactly one journal
 * event per command. Closed loop with {@code --inflight} outstanding commands per session.
 *
 * <pre>java -cp … floorcast.load.PersistenceBenchmark --sessions 1000 --seconds 60 --warmup 10 --inflight 1</pre>
 */
public final class PersistenceBenchmark {
  public static void main(String[] args) throws Exception {
    int sessions = BenchNode.arg(args, "--sessions", 1000);
    int inflight = BenchNode.arg(args, "--inflight", 1);
    Duration measure = BenchNode.arg(args, "--seconds", Duration.ofSeconds(60));
    Duration warmup = BenchNode.arg(args, "--warmup", Duration.ofSeconds(10));
    Path data = Path.of(BenchNode.arg(args, "--data", "target/bench-persistence-" + System.currentTimeMillis()));
    try (BenchNode node = BenchNode.start(data, 15499, Map.of())) {
      Duration ask = Duration.ofSeconds(30);
      List<EntityRef<SessionCommand>> refs = new java.util.ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        EntityRef<SessionCommand> ref = SessionSharding.entityRef(node.system, "bench_session_" + i);
        String conn = "bench#" + i;
        String owner = "client_bench_dj_" + i;
        refs.add(ref);
        ref.<SessionReply>ask(to -> new SessionCommand.Register(conn, "Bench DJ", null, null, owner, "0.3.0", false, false, to), ask)
            .thenCompose(r -> ref.<SessionReply>ask(to -> new SessionCommand.BroadcastTrack(conn, null, TrackInfo.of("Track", "Artist"), to), ask))
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      System.out.printf("registered %d sessions with a current track%n", sessions);
      Recorder recorder = new Recorder(3);
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong counter = new AtomicLong();
      AtomicLong completed = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      CountDownLatch done = new CountDownLatch(sessions * inflight);
      for (EntityRef<SessionCommand> ref : refs) {
        for (int k = 0; k < inflight; k++) loop(ref, ask, recorder, running, counter, completed, failed, done);
      }
      Thread.sleep(warmup.toMillis());
      recorder.getIntervalHistogram(); // drop warm-up
      long startCompleted = completed.get();
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      Thread.sleep(measure.toMillis());
      long elapsed = System.nanoTime() - start;
      long events = completed.get() - startCompleted;
      long cpu = processCpuNanos() - cpuStart;
      Histogram h = recorder.getIntervalHistogram();
      running.set(false);
      done.await(60, TimeUnit.SECONDS);
      double secs = elapsed / 1e9;
      System.out.printf(
          "RESULT sessions=%d inflight=%d seconds=%.1f events=%d events_per_s=%.0f persist_ms p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f failed=%d jvm_cpu_cores=%.2f%n",
          sessions, inflight, secs, events, events / secs,
          h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
          h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, failed.get(), cpu / 1e9 / secs);
    }
  }

  private static void loop(EntityRef<SessionCommand> ref, Duration ask, Recorder recorder, AtomicBoolean running,
      AtomicLong counter, AtomicLong completed, AtomicLong failed, CountDownLatch done) {
    if (!running.get()) {
      done.countDown();
      return;
    }
    String client = "client_" + counter.incrementAndGet() + "_bench";
    long t0 = System.nanoTime();
    CompletableFuture<DancerBatchReply> f = ref.<DancerBatchReply>ask(
        to -> new SessionCommand.DancerBatch(List.of(new DancerRequest.TempoVote(client, "faster", null)), to), ask)
        .toCompletableFuture();
    f.whenComplete((r, e) -> {
      if (e != null || !(r.results().get(0) instanceof DancerBatchReply.Ok)) {
        failed.incrementAndGet();
      } else {
        recorder.recordValue(System.nanoTime() - t0);
        completed.incrementAndGet();
      }
      loop(ref, ask, recorder, running, counter, completed, failed, done);
    });
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
