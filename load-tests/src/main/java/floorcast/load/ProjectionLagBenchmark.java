package floorcast.load;

import floorcast.readside.ReadSideProjection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Read-side projection lag under the T4 write load (issue #5: lag p99 ≤ 1 s while the session core's write
 * benchmark runs). One node as {@link PersistenceBenchmark} (session sharding, durable embedded PostgreSQL) that
 * also runs the read-side projection as every node does ({@link ReadSideProjection}: 8 tag instances, exactly-once,
 * offset committed with the rows). The write load is PersistenceBenchmark's ({@link DancerActionLoad} with likes: one like,
 * one tagged journal event, one projected row per command), closed loop, or capped with {@code --rate} events/s to see the
 * lag at a write rate the projection can follow. {@link ProjectionLagSampler} measures lag from the journal's write
 * timestamps and the projection's offsets every {@code --sample-ms}. After the window the writes stop and the
 * harness waits (≤ {@code --drain} s) until the projection has caught up.
 *
 * <p>{@code --action tempo} makes the write load exactly PersistenceBenchmark's T4 load (tempo votes: journaled,
 * untagged, nothing to project one by one); {@code --tagged-sessions N --tagged-rate R} then adds likes at R/s into
 * N further sessions, the projected events whose lag is measured while the T4 load runs.
 *
 * <pre>java -cp … floorcast.load.ProjectionLagBenchmark --sessions 1000 --seconds 60 --warmup 10 [--rate 2000]
 * java -cp … floorcast.load.ProjectionLagBenchmark --sessions 1000 --action tempo --rate 10000 \
 *     --tagged-sessions 100 --tagged-rate 1000 --seconds 60 --warmup 10</pre>
 */
public final class ProjectionLagBenchmark {
  public static void main(String[] args) throws Exception {
    int sessions = BenchNode.arg(args, "--sessions", 1000);
    int inflight = BenchNode.arg(args, "--inflight", 1);
    int rate = BenchNode.arg(args, "--rate", 0);
    String action = BenchNode.arg(args, "--action", "like");
    int taggedSessions = BenchNode.arg(args, "--tagged-sessions", 0);
    int taggedRate = BenchNode.arg(args, "--tagged-rate", 0);
    int sampleMs = BenchNode.arg(args, "--sample-ms", 100);
    Duration measure = BenchNode.arg(args, "--seconds", Duration.ofSeconds(60));
    Duration warmup = BenchNode.arg(args, "--warmup", Duration.ofSeconds(10));
    Duration drain = BenchNode.arg(args, "--drain", Duration.ofSeconds(120));
    Path data = Path.of(BenchNode.arg(args, "--data", "target/bench-projection-" + System.currentTimeMillis()));
    try (BenchNode node = BenchNode.startWithReadSide(data, 15498, Map.of())) {
      ProjectionLagSampler sampler = new ProjectionLagSampler(node.database.settings(), ReadSideProjection.NAME, sampleMs);
      sampler.start();
      DancerActionLoad load = DancerActionLoad.register(node.system, sessions, inflight, rate, action);
      DancerActionLoad tagged =
          taggedSessions > 0
              ? DancerActionLoad.register(node.system, "bench_tagged_", taggedSessions, 1, taggedRate, "like")
              : null;
      System.out.printf("registered %d sessions (%s) and %d sessions (like) with a current track; read-side"
          + " projection running%n", sessions, action, taggedSessions);
      load.start();
      if (tagged != null) tagged.start();
      Thread.sleep(warmup.toMillis());
      load.persist.getIntervalHistogram(); // drop warm-up
      if (tagged != null) tagged.persist.getIntervalHistogram();
      long startCompleted = load.completed.get();
      long startTagged = tagged != null ? tagged.completed.get() : 0;
      long cpuStart = PersistenceBenchmark.processCpuNanos();
      long start = System.nanoTime();
      sampler.openWindow(System.currentTimeMillis());
      Thread.sleep(measure.toMillis());
      sampler.closeWindow(System.currentTimeMillis());
      long elapsed = System.nanoTime() - start;
      long events = load.completed.get() - startCompleted;
      long taggedEvents = tagged != null ? tagged.completed.get() - startTagged : 0;
      long cpu = PersistenceBenchmark.processCpuNanos() - cpuStart;
      Histogram persist = load.persist.getIntervalHistogram();
      Histogram taggedPersist = tagged != null ? tagged.persist.getIntervalHistogram() : null;
      load.stop();
      if (tagged != null) tagged.stop();
      long stopped = System.currentTimeMillis();
      long catchUp = sampler.awaitCaughtUp(stopped, drain.toMillis());
      sampler.stop();
      double secs = elapsed / 1e9;
      Histogram lag = sampler.lag;
      System.out.printf(
          "RESULT action=%s sessions=%d inflight=%d rate_cap=%s seconds=%.1f events_written=%d write_events_per_s=%.0f"
              + " persist_ms p50=%.1f p99=%.1f failed=%d%s"
              + " | events_projected=%d projected_events_per_s=%.0f lag_ms n=%d p50=%d p90=%d p99=%d p99.9=%d max=%d"
              + " backlog_max=%d oldest_unprojected_ms p50=%d p99=%d max=%d catch_up_after_stop_ms=%s"
              + " | samples=%d sample_ms=%d longest_sample_gap_ms=%d expired_gaps=%d jvm_cpu_cores=%.2f%n",
          action, sessions, inflight, rate > 0 ? Integer.toString(rate) : "none", secs, events, events / secs,
          persist.getValueAtPercentile(50) / 1e6, persist.getValueAtPercentile(99) / 1e6, load.failed.get(),
          tagged == null ? "" : String.format(" | tagged likes sessions=%d rate_cap=%d events_written=%d"
              + " events_per_s=%.0f persist_ms p50=%.1f p99=%.1f failed=%d", taggedSessions, taggedRate, taggedEvents,
              taggedEvents / secs, taggedPersist.getValueAtPercentile(50) / 1e6,
              taggedPersist.getValueAtPercentile(99) / 1e6, tagged.failed.get()),
          sampler.projectedInWindow, sampler.projectedInWindow / secs, lag.getTotalCount(),
          lag.getValueAtPercentile(50), lag.getValueAtPercentile(90), lag.getValueAtPercentile(99),
          lag.getValueAtPercentile(99.9), lag.getMaxValue(), sampler.backlogMax,
          sampler.backlogAge.getValueAtPercentile(50), sampler.backlogAge.getValueAtPercentile(99),
          sampler.backlogAge.getMaxValue(), catchUp < 0 ? "not within " + drain.toSeconds() + "s" : Long.toString(catchUp),
          sampler.samples, sampleMs, sampler.longestSampleGapMs, sampler.expiredGaps, cpu / 1e9 / secs);
      if (lag.getTotalCount() < sampler.writtenInWindow) {
        System.out.printf("NOTE %d of %d events written in the window were not projected by the end of the drain%n",
            sampler.writtenInWindow - lag.getTotalCount(), sampler.writtenInWindow);
      }
    }
  }
}
