package floorcast.load;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * T4: persisted events per second across many concurrently active sessions, with persist (command → reply after
 * the write) latency percentiles. Each request is one dancer action from a fresh clientId: exactly one journal
 * event per command ({@link DancerActionLoad}); {@code --action like} (default: tagged events, projected by the read
 * side) or {@code --action tempo} (untagged). Closed loop with {@code --inflight} outstanding commands per session,
 * optionally capped at {@code --rate} commands/s in total.
 *
 * <pre>java -cp … floorcast.load.PersistenceBenchmark --sessions 1000 --seconds 60 --warmup 10 --inflight 1 --action like</pre>
 */
public final class PersistenceBenchmark {
  public static void main(String[] args) throws Exception {
    int sessions = BenchNode.arg(args, "--sessions", 1000);
    int inflight = BenchNode.arg(args, "--inflight", 1);
    int rate = BenchNode.arg(args, "--rate", 0); // commands/s in total; 0 = closed loop, as fast as the node answers
    Duration measure = BenchNode.arg(args, "--seconds", Duration.ofSeconds(60));
    Duration warmup = BenchNode.arg(args, "--warmup", Duration.ofSeconds(10));
    String action = BenchNode.arg(args, "--action", "like");
    Path data = Path.of(BenchNode.arg(args, "--data", "target/bench-persistence-" + System.currentTimeMillis()));
    try (BenchNode node = BenchNode.start(data, 15499, Map.of())) {
      DancerActionLoad load = DancerActionLoad.register(node.system, sessions, inflight, rate, action);
      System.out.printf("registered %d sessions with a current track%n", sessions);
      load.start();
      Thread.sleep(warmup.toMillis());
      load.persist.getIntervalHistogram(); // drop warm-up
      long startCompleted = load.completed.get();
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      // every 5 s: that interval's rate and latency (a stall shows where it happened), summed into the window's
      Histogram h = new Histogram(3);
      long end = start + measure.toNanos();
      long intervalStart = start;
      long intervalCompleted = startCompleted;
      while (System.nanoTime() < end) {
        Thread.sleep(Math.max(1, Math.min(5_000, (end - System.nanoTime()) / 1_000_000)));
        Histogram interval = load.persist.getIntervalHistogram();
        h.add(interval);
        long now = System.nanoTime();
        long done = load.completed.get();
        System.out.printf(
            "interval t=%.0fs events_per_s=%.0f persist_ms p50=%.1f p99=%.1f max=%.1f%n",
            (now - start) / 1e9, (done - intervalCompleted) / ((now - intervalStart) / 1e9),
            interval.getValueAtPercentile(50) / 1e6, interval.getValueAtPercentile(99) / 1e6,
            interval.getMaxValue() / 1e6);
        intervalStart = now;
        intervalCompleted = done;
      }
      long elapsed = System.nanoTime() - start;
      long events = load.completed.get() - startCompleted;
      long cpu = processCpuNanos() - cpuStart;
      load.stop();
      double secs = elapsed / 1e9;
      System.out.printf(
          "RESULT action=%s sessions=%d inflight=%d rate=%d seconds=%.1f events=%d events_per_s=%.0f persist_ms p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f failed=%d jvm_cpu_cores=%.2f%n",
          action, sessions, inflight, rate, secs, events, events / secs,
          h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
          h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, load.failed.get(), cpu / 1e9 / secs);
    }
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
