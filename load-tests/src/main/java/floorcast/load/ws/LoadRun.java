package floorcast.load.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one load process measures: its timeline in nanoTime, the latency histograms (microseconds), counters
 * and failures by kind, the accepted broadcasts and the dancers' subscription intervals (to count expected
 * deliveries after the run, performance.md §6.4).
 */
final class LoadRun {
  static final long HIGHEST_MICROS = 3_600_000_000L;

  final LoadOptions options;
  final EventLoop loop;
  final long connectStart, warmupStart, measureStart, measureEnd, stopAt;
  /** DJ send → dancer receive per delivered broadcast, stamped inside the measure window. */
  final Histogram delivery = histogram();
  /** Intended connect time → SUBSCRIBE ACK (lobby included). */
  final Histogram join = histogram();
  /** Intended connect time → HTTP 101. */
  final Histogram handshake = histogram();
  /** Intended send → ACK of dancer actions (likes, tempo votes, poll votes). */
  final Histogram actionAck = histogram();
  final Map<String, Long> counters = new TreeMap<>();
  final Map<String, Long> failures = new TreeMap<>();
  final List<long[]> acceptedBroadcasts = new ArrayList<>(); // {session, stamp}
  final List<long[]> subscriptions = new ArrayList<>(); // {session, from, to}

  LoadRun(LoadOptions options, EventLoop loop) {
    this.options = options;
    this.loop = loop;
    long nowNanos = System.nanoTime();
    long offset = nowNanos - System.currentTimeMillis() * 1_000_000L;
    long start = options.startAtMs() * 1_000_000L + offset;
    connectStart = start + 1_000_000_000L; // DJs register in the first second
    warmupStart = connectStart + seconds(options.rampSeconds());
    measureStart = warmupStart + seconds(options.warmupSeconds());
    measureEnd = measureStart + seconds(options.measureSeconds());
    stopAt = measureEnd + seconds(options.drainSeconds());
  }

  static long seconds(double s) {
    return (long) (s * 1e9);
  }

  boolean inMeasure(long stamp) {
    return stamp >= measureStart && stamp < measureEnd;
  }

  void count(String name) {
    counters.merge(name, 1L, Long::sum);
  }

  void fail(String kind) {
    failures.merge(kind, 1L, Long::sum);
  }

  static void record(Histogram h, long nanos) {
    h.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
  }

  private static Histogram histogram() {
    return new Histogram(HIGHEST_MICROS, 3);
  }
}
