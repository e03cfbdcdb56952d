package floorcast.load;

import floorcast.ops.PekkoCompletion;
import floorcast.session.DancerBatchReply;
import floorcast.session.DancerRequest;
import floorcast.session.SessionCommand;
import floorcast.session.SessionReply;
import floorcast.session.SessionSharding;
import floorcast.session.TrackInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The T4 write load: {@code sessions} registered sessions with a current track, each receiving dancer actions
 * from fresh clientIds (exactly one journal event per command): likes of the current track (tagged: the read side
 * projects them into its likes table) or tempo votes (untagged: no table needs them, so journal batches of them are
 * multi-row inserts), closed loop with {@code inflight} outstanding
 * commands per session. Optionally capped at {@code ratePerSecond} commands per second in total (0 = as fast as the
 * node answers). Persist latency (command → reply after the write) goes to {@link #persist}.
 */
final class DancerActionLoad {
  private static final Duration ASK = Duration.ofSeconds(30);
  private static final TrackInfo TRACK = TrackInfo.of("Track", "Artist");

  final Recorder persist = new Recorder(3);
  final AtomicLong completed = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  private final List<EntityRef<SessionCommand>> refs = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong counter = new AtomicLong();
  private final int inflight;
  private final boolean likes;
  private final long intervalNanos;
  private final AtomicLong nextSlot = new AtomicLong();
  private final ScheduledExecutorService pacer;
  private CountDownLatch done;

  private DancerActionLoad(int inflight, int ratePerSecond, String action) {
    if (!action.equals("like") && !action.equals("tempo")) throw new IllegalArgumentException("--action like|tempo");
    this.likes = action.equals("like");
    this.inflight = inflight;
    this.intervalNanos = ratePerSecond > 0 ? 1_000_000_000L / ratePerSecond : 0;
    this.pacer = ratePerSecond > 0 ? Executors.newSingleThreadScheduledExecutor() : null;
  }

  /** Registers {@code sessions} sessions (each with a current track) and returns the load, not yet started. */
  static DancerActionLoad register(ActorSystem<?> system, int sessions, int inflight, int ratePerSecond, String action)
      throws Exception {
    return register(system, "bench_session_", sessions, inflight, ratePerSecond, action);
  }

  /** As {@link #register(ActorSystem, int, int, int, String)}, the session ids starting with {@code idPrefix}. */
  static DancerActionLoad register(
      ActorSystem<?> system, String idPrefix, int sessions, int inflight, int ratePerSecond, String action)
      throws Exception {
    DancerActionLoad load = new DancerActionLoad(inflight, ratePerSecond, action);
    for (int i = 0; i < sessions; i++) {
      EntityRef<SessionCommand> ref = SessionSharding.entityRef(system, idPrefix + i);
      String conn = idPrefix + "#" + i;
      String owner = "client_" + idPrefix + "dj_" + i;
      load.refs.add(ref);
      ref.<SessionReply>ask(to -> new SessionCommand.Register(conn, "Bench DJ", null, null, owner, "0.3.0", false, false, to), ASK)
          .thenCompose(r -> ref.<SessionReply>ask(to -> new SessionCommand.BroadcastTrack(conn, null, TRACK, to), ASK))
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    return load;
  }

  int sessions() {
    return refs.size();
  }

  void start() {
    done = new CountDownLatch(refs.size() * inflight);
    nextSlot.set(System.nanoTime());
    for (EntityRef<SessionCommand> ref : refs) {
      for (int k = 0; k < inflight; k++) next(ref);
    }
  }

  /** Stops issuing commands and waits (≤ 60 s) for the outstanding ones. */
  void stop() throws InterruptedException {
    running.set(false);
    done.await(60, TimeUnit.SECONDS);
    if (pacer != null) pacer.shutdownNow();
  }

  private void next(EntityRef<SessionCommand> ref) {
    if (!running.get()) {
      done.countDown();
      return;
    }
    if (pacer == null) {
      send(ref);
      return;
    }
    // at most 1 s of missed slots is made up for: a stalled node does not get a burst afterwards
    long now = System.nanoTime();
    long slot = nextSlot.accumulateAndGet(now, (prev, n) -> Math.max(prev, n - 1_000_000_000L) + intervalNanos);
    long delay = slot - now;
    if (delay <= 0) send(ref);
    else pacer.schedule(() -> send(ref), delay, TimeUnit.NANOSECONDS);
  }

  private void send(EntityRef<SessionCommand> ref) {
    String client = "client_" + counter.incrementAndGet() + "_bench" + (likes ? "_like" : "_tempo");
    long t0 = System.nanoTime();
    // completed on the replying entity's thread, as the gateway's asks are (PekkoCompletion)
    CompletableFuture<DancerBatchReply> f = PekkoCompletion.inline(ref.<DancerBatchReply>ask(
        to -> new SessionCommand.DancerBatch(List.of(likes
            ? new DancerRequest.Like(client, TRACK, null)
            : new DancerRequest.TempoVote(client, "faster", null)), to), ASK));
    f.whenComplete((r, e) -> {
      if (e != null || !(r.results().get(0) instanceof DancerBatchReply.Ok)) {
        failed.incrementAndGet();
      } else {
        persist.recordValue(System.nanoTime() - t0);
        completed.incrementAndGet();
      }
      next(ref);
    });
  }
}
