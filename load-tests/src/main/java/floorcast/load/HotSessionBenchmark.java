package floorcast.load;

import floorcast.live.protocol.DancerIngress;
import floorcast.live.protocol.SessionEntities;
import floorcast.session.DancerBatchReply;
import floorcast.session.DancerRequest;
import floorcast.session.SessionCommand;
import floorcast.session.SessionReply;
import floorcast.session.SessionSharding;
import floorcast.session.TrackInfo;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * T4 hot session: one session absorbing {@code --rate} likes/s from {@code --dancers} dancers, through the gateway's
 * real {@link DancerIngress} (one batch in flight per session, the rest queued into the next batch) and the sharded
 * entity, which persists one event per batch and answers each like after the write.
 *
 * <p>Open loop: likes are issued on a fixed schedule (every 1 ms, {@code rate/1000} likes) and each latency is
 * measured from its <em>intended</em> issue time, so a stalled writer is charged for the wait (no coordinated
 * omission). Every dancer likes each of the session's tracks at most once and stays within the per-client limit of
 * 10 likes per minute, so every like is valid: anything but OK is counted as a failure.
 *
 * <pre>java -cp … floorcast.load.HotSessionBenchmark --rate 5000 --dancers 10000 --seconds 10</pre>
 */
public final class HotSessionBenchmark {
  public static void main(String[] args) throws Exception {
    int rate = BenchNode.arg(args, "--rate", 5000);
    int dancers = BenchNode.arg(args, "--dancers", 10_000);
    Duration measure = BenchNode.arg(args, "--seconds", Duration.ofSeconds(10));
    Path data = Path.of(BenchNode.arg(args, "--data", "target/bench-hot-" + System.currentTimeMillis()));
    int likesPerDancer = (int) Math.ceil((double) rate * measure.toSeconds() / dancers);
    if (likesPerDancer > 10) {
      throw new IllegalArgumentException(
          "rate × seconds / dancers = " + likesPerDancer + " likes per dancer: above the 10 per minute limit");
    }
    int tracks = likesPerDancer;
    try (BenchNode node = BenchNode.start(data, 15498, Map.of("floorcast.session.track-throttle", "0ms"))) {
      Duration ask = Duration.ofSeconds(30);
      String sessionId = "hot_session";
      EntityRef<SessionCommand> ref = SessionSharding.entityRef(node.system, sessionId);
      String conn = "bench#dj";
      ref.<SessionReply>ask(to -> new SessionCommand.Register(conn, "Hot DJ", null, null, "client_hot_dj", "0.3.0", false, false, to), ask)
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      List<TrackInfo> played = new ArrayList<>();
      for (int t = 0; t < tracks; t++) {
        TrackInfo track = TrackInfo.of("Track " + t, "Artist");
        SessionReply r = ref.<SessionReply>ask(to -> new SessionCommand.BroadcastTrack(conn, null, track, to), ask)
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (!(r instanceof SessionReply.Accepted)) throw new IllegalStateException("broadcast refused: " + r);
        played.add(track);
      }
      DancerIngress ingress = new DancerIngress(SessionEntities.sharded(node.system, ask), 500, 10_000);
      // warm-up: 2 s at a tenth of the rate, dancers distinct from the measured ones
      run(ingress, sessionId, played.subList(0, 1), "client_warm_", Math.max(1, rate / 10), 2, dancers, null);
      long eventsBefore = journalRows(node, sessionId);
      Recorder recorder = new Recorder(3);
      Result result = run(ingress, sessionId, played, "client_hot_", rate, (int) measure.toSeconds(), dancers, recorder);
      long events = journalRows(node, sessionId) - eventsBefore;
      Histogram h = recorder.getIntervalHistogram();
      System.out.printf(
          "RESULT rate=%d dancers=%d seconds=%d likes_sent=%d acked_ok=%d failed=%d achieved_per_s=%.0f"
              + " ack_ms p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f journal_events=%d events_per_s=%.1f%n",
          rate, dancers, measure.toSeconds(), result.sent, result.ok, result.failed,
          result.ok / (result.wallNanos / 1e9),
          h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
          h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, events, events / (result.wallNanos / 1e9));
    }
  }

  private record Result(long sent, long ok, long failed, long wallNanos) {}

  /**
   * Issues {@code rate} likes per second for {@code seconds}; dancer i likes track (i / dancers) of {@code tracks}
   * in turn, so no dancer likes a track twice. Waits for every answer.
   */
  private static Result run(DancerIngress ingress, String sessionId, List<TrackInfo> tracks, String prefix,
      int rate, int seconds, int dancers, Recorder recorder) throws InterruptedException {
    long total = (long) rate * seconds;
    CountDownLatch answered = new CountDownLatch((int) total);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long intervalNanos = 1_000_000L;
    double perTick = rate / 1000.0;
    long issued = 0;
    for (long tick = 0; issued < total; tick++) {
      long due = start + tick * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) LockSupport.parkNanos(wait);
      long target = Math.min(total, (long) Math.floor((tick + 1) * perTick));
      for (; issued < target; issued++) {
        long n = issued;
        // the intended time of this like on the schedule, not the (possibly late) moment it is issued
        long intended = start + (long) (n * 1e9 / rate);
        String client = prefix + (n % dancers);
        TrackInfo track = tracks.get((int) ((n / dancers) % tracks.size()));
        ingress.submit(sessionId, new DancerRequest.Like(client, track, null)).whenComplete((r, e) -> {
          if (e == null && r instanceof DancerBatchReply.Ok) {
            ok.incrementAndGet();
            if (recorder != null) recorder.recordValue(System.nanoTime() - intended);
          } else {
            failed.incrementAndGet();
            if (failed.get() <= 5) System.err.println("like failed: " + (e != null ? e : r));
          }
          answered.countDown();
        });
      }
    }
    if (!answered.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("likes unanswered after 120 s");
    return new Result(total, ok.get(), failed.get(), System.nanoTime() - start);
  }

  /** Journal rows of the session (one per persisted event). */
  private static long journalRows(BenchNode node, String sessionId) throws Exception {
    var s = node.database.settings();
    try (var c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
        var st = c.prepareStatement("SELECT count(*) FROM event_journal WHERE persistence_id = ?")) {
      st.setString(1, "DjSession|" + sessionId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
