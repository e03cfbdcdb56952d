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
  final long djStart, connectStart, warmupStart, measureStart, measureEnd, stopAt;
  /** nanoTime − epoch ns at start: converts a nanoTime stamp into wall-clock time. */
  private final long nanoOffset;
  /** DJ send → dancer receive per delivered broadcast, stamped inside the measure window. */
  final Histogram delivery = histogram();
  /** Deliveries to dancers of sessions with fewer than 1,000 dancers (T3's p99 bound is for those). */
  final Histogram deliverySmall = histogram();
  /** Intended connect time → SUBSCRIBE ACK (lobby included). */
  final Histogram join = histogram();
  /** Intended connect time → HTTP 101. */
  final Histogram handshake = histogram();
  /** Intended send → ACK of dancer actions (likes, tempo votes, poll votes). */
  final Histogram actionAck = histogram();
  /** A DJ's scheduled first connect → ACK of its first REGISTER_SESSION (NACKed attempts and retries included). */
  final Histogram djRegister = histogram();
  /**
   * With --series-seconds S: deliveries by the S-second bucket of their stamp (epoch ms of the bucket start), so a
   * report can split them by time (e.g. during vs outside restart windows). 2 significant digits: one per bucket.
   */
  final Map<Long, Histogram> deliverySeries = new TreeMap<>();
  final Map<String, Long> counters = new TreeMap<>();
  final Map<String, Long> failures = new TreeMap<>();
  final List<long[]> acceptedBroadcasts = new ArrayList<>(); // {session, stamp}
  final List<String> acceptedTitles = new ArrayList<>(); // every ACKed broadcast's title (journal check)
  final List<long[]> subscriptions = new ArrayList<>(); // {session, from, to}
  /** nanoTime of the latest first subscription of a dancer (T1: all dancers subscribed this long after the first connect). */
  long lastFirstSubscription = -1;

  LoadRun(LoadOptions options, EventLoop loop) {
    this.options = options;
    this.loop = loop;
    long nowNanos = System.nanoTime();
    nanoOffset = nowNanos - System.currentTimeMillis() * 1_000_000L;
    long start = options.startAtMs() * 1_000_000L + nanoOffset;
    djStart = start;
    connectStart = start + seconds(options.djLeadSeconds()); // DJs connect and register first
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

  long epochMillis(long nanoStamp) {
    return Math.floorDiv(nanoStamp - nanoOffset, 1_000_000L);
  }

  /** Start (epoch ms) of the series bucket holding a stamp, or -1 when no series is kept. */
  long seriesBucket(long nanoStamp) {
    long width = Math.round(options.seriesSeconds() * 1000);
    if (width <= 0) return -1;
    return Math.floorDiv(epochMillis(nanoStamp), width) * width;
  }

  void recordDelivery(long stamp, long receivedNanos, boolean smallSession) {
    record(delivery, receivedNanos - stamp);
    if (smallSession) record(deliverySmall, receivedNanos - stamp);
    long bucket = seriesBucket(stamp);
    if (bucket >= 0) record(deliverySeries.computeIfAbsent(bucket, b -> new Histogram(HIGHEST_MICROS, 2)), receivedNanos - stamp);
  }

  /** A dancer's first subscription (not a resubscription after a reconnect) was acknowledged at {@code nanos}. */
  void firstSubscribed(long nanos) {
    lastFirstSubscription = Math.max(lastFirstSubscription, nanos);
    count("first_subscribed");
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
