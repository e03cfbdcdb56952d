package floorcast.ops;

import floorcast.live.protocol.ConnectionServices;
import floorcast.live.protocol.DancerIngress;
import floorcast.live.protocol.LiveConnectionFactory;
import floorcast.live.protocol.SessionEntities;
import floorcast.live.transport.LiveGateway;
import floorcast.net.HttpListener;
import floorcast.session.SessionCommand;
import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;
import floorcast.session.TrackInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the broadcast path before the node takes dancers. A fresh node paid its JIT in the first broadcasts of a
 * session: 1,000 dancers got the first tracks with a p99 of 107 ms against 40 ms on a node that had broadcast
 * before, and the compilers took 28 % of the node's CPU in a 10,000-dancer window (docs/benchmarks.md, "Session
 * 10"; what the warm-up changed: "Session 11").
 *
 * <p>{@code followers} WebSockets to the node's own {@code /ws} on a private loopback binding each SUBSCRIBE to one
 * of two warm-up sessions: a small one (handed out on the feed's thread) and, when there are more followers than
 * {@code floorcast.live.fanout-inline-followers}, a big one (handed out on the fan-out lanes). Their connections are
 * the real protocol handlers, but their session entities are a {@link WarmupSessionStandIn} each: the SUBSCRIBE is
 * answered with a snapshot as a live session answers it and nothing is persisted. Then {@code broadcasts} session
 * messages of every broadcast type (every fourth a track change's TEMPO_RESET and NOW_PLAYING, published
 * together) are handed to this node's fan-out as a session topic hands them
 * ({@link LiveGateway#deliverOnThisNode}: rendered once, handed to each follower, written to its socket), at most eight
 * broadcasts ahead of the slowest follower; then the codec renders each broadcast type some thousand times more
 * (it renders once per message per node). Nothing reaches another node, the lobby, the journal or a listener
 * count; only the warm-up's connections follow the warm-up sessions. The node reports ready after it (see
 * FloorcastNode); a failed or slow warm-up is logged and does not keep the node unready.
 */
public final class BroadcastPathWarmup {
  private static final Logger log = LoggerFactory.getLogger(BroadcastPathWarmup.class);
  /**
   * Prefixes of the two stand-in sessions' ids; each run adds 16 random hex digits (8–64 characters, protocol.md
   * §2). A DJ may register any id of that length, so the ids must not be guessable: a real session of the same id
   * would share the warm-up's followers on this node while it runs.
   */
  static final String SMALL_SESSION = "floorcast_warmup_small_";
  static final String BIG_SESSION = "floorcast_warmup_big_";
  private static final AtomicInteger RUNS = new AtomicInteger();
  /** Broadcasts handed out ahead of the slowest follower (a few hundred bytes each in its socket buffer). */
  private static final int AHEAD = 8;
  /**
   * Extra renderings of every broadcast type: a message is rendered once per node, so the broadcasts alone would
   * leave the codec to be compiled during the first night with many sessions (the event night's C2 log).
   */
  private static final int RENDERS = 20_000;

  /** What a warm-up did: followers subscribed, deliveries received of those expected, wall time. */
  public record Result(int subscribed, long subscribeMillis, long delivered, long expected, long millis) {}

  private BroadcastPathWarmup() {}

  /** Runs on its own thread (it waits for the followers); the stage completes when it is over. */
  public static CompletionStage<Result> run(
      ActorSystem<?> system,
      String transport,
      LiveGateway gateway,
      ConnectionServices services,
      int followers,
      int broadcasts,
      Duration limit) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                done.complete(new Run(system, transport, gateway, services, followers, broadcasts, limit).run());
              } catch (Exception | Error e) {
                done.completeExceptionally(e);
              }
            },
            "floorcast-broadcast-warmup");
    thread.setDaemon(true);
    thread.start();
    return done.whenComplete(
        (r, e) -> {
          if (e != null) log.warn("broadcast-path warm-up failed: {}", e.toString());
          else log.info(
              "broadcast-path warm-up: {} of {} followers subscribed in {} ms, {} of {} deliveries, {} ms in all",
              r.subscribed(), followers, r.subscribeMillis(), r.delivered(), r.expected(), r.millis());
        });
  }

  /** One warm-up: the stand-in sessions, the private binding, the followers, the broadcasts. */
  private static final class Run {
    private final ActorSystem<?> system;
    private final String transport;
    private final LiveGateway gateway;
    private final ConnectionServices services;
    private final String smallSession;
    private final String bigSession;
    private final int followers;
    private final int smallFollowers;
    private final int broadcasts;
    private final long deadline;
    private final long t0 = System.nanoTime();
    private final CountDownLatch subscribed;
    private final CountDownLatch[] received;
    /** For each broadcast frame a follower receives (after the snapshot and the ACK): the broadcast it ends, or -1. */
    private final int[] lastFrameOf;

    Run(ActorSystem<?> system, String transport, LiveGateway gateway, ConnectionServices services, int followers,
        int broadcasts, Duration limit) {
      this.system = system;
      this.transport = transport;
      this.gateway = gateway;
      this.services = services;
      String run = String.format("%016x", ThreadLocalRandom.current().nextLong());
      this.smallSession = SMALL_SESSION + run;
      this.bigSession = BIG_SESSION + run;
      this.followers = followers;
      int inline = gateway.settings().fanoutInlineFollowers();
      this.smallFollowers = followers > inline ? Math.min(inline, Math.max(1, followers / 4)) : followers;
      this.broadcasts = broadcasts;
      this.deadline = t0 + limit.toNanos();
      this.subscribed = new CountDownLatch(followers);
      this.received = new CountDownLatch[broadcasts];
      for (int i = 0; i < broadcasts; i++) received[i] = new CountDownLatch(followers);
      int frames = 0;
      for (int b = 0; b < broadcasts; b++) frames += batched(b) ? 2 : 1;
      this.lastFrameOf = new int[frames];
      Arrays.fill(lastFrameOf, -1);
      for (int b = 0, f = 0; b < broadcasts; b++) {
        f += batched(b) ? 2 : 1;
        lastFrameOf[f - 1] = b;
      }
    }

    Result run() throws Exception {
      int n = RUNS.incrementAndGet();
      ActorRef<SessionCommand> small = standIn(smallSession, "broadcast-warmup-small-" + n);
      ActorRef<SessionCommand> big = standIn(bigSession, "broadcast-warmup-big-" + n);
      try {
        SessionEntities entities =
            new SessionEntities(
                id -> id.equals(smallSession) ? small : big,
                system.scheduler(),
                services.settings().askTimeout(),
                system.executionContext());
        LiveConnectionFactory handlers =
            new LiveConnectionFactory(services.withSessions(entities, new DancerIngress(entities, 500, 10_000)));
        HttpListener binding =
            HttpListener.bind(system, transport, "127.0.0.1", 0, gateway.warmupRoute(handlers))
                .toCompletableFuture()
                .get(remainingNanos(), TimeUnit.NANOSECONDS);
        List<CompletableFuture<Optional<Message>>> clients = new ArrayList<>(followers);
        try {
          String uri = "ws://127.0.0.1:" + binding.localAddress().getPort() + "/ws";
          Materializer mat = Materializer.matFromSystem(system);
          for (int i = 0; i < followers; i++) {
            clients.add(follow(uri, i < smallFollowers ? smallSession : bigSession, i, mat));
          }
          boolean all = subscribed.await(remainingNanos(), TimeUnit.NANOSECONDS);
          long subscribeMillis = (System.nanoTime() - t0) / 1_000_000;
          if (all) broadcast();
          long delivered = 0;
          for (CountDownLatch r : received) delivered += followers - r.getCount();
          for (int i = 0; i < RENDERS; i++) services.outbound().render(message(i, smallSession, i + 2));
          return new Result(
              (int) (followers - subscribed.getCount()),
              subscribeMillis,
              delivered,
              (long) followers * broadcasts,
              (System.nanoTime() - t0) / 1_000_000);
        } finally {
          for (CompletableFuture<Optional<Message>> client : clients) client.complete(Optional.empty());
          LoopbackClients.unbind(binding).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
      } finally {
        system.classicSystem().stop(Adapter.toClassic(small));
        system.classicSystem().stop(Adapter.toClassic(big));
      }
    }

    /** The broadcasts, at most {@link #AHEAD} ahead of the slowest follower; stops early at the deadline. */
    private void broadcast() throws InterruptedException {
      for (int b = 0; b < broadcasts; b++) {
        deliver(smallSession, b);
        if (followers > smallFollowers) deliver(bigSession, b);
        if (b >= AHEAD && !received[b - AHEAD].await(remainingNanos(), TimeUnit.NANOSECONDS)) return;
      }
      for (int b = Math.max(0, broadcasts - AHEAD); b < broadcasts; b++) {
        if (!received[b].await(remainingNanos(), TimeUnit.NANOSECONDS)) return;
      }
    }

    private ActorRef<SessionCommand> standIn(String sessionId, String name) {
      List<SessionMessage> snapshot = List.of(new SessionMessage.NowPlaying(sessionId, 1, "Floorcast", track(0)));
      return system.systemActorOf(WarmupSessionStandIn.create(snapshot), name, Props.empty());
    }

    /**
     * Broadcast {@code b} (seqs from 2: the snapshot's NOW_PLAYING was seq 1), every fourth as a track change
     * publishes it: TEMPO_RESET and NOW_PLAYING together ({@link SessionFeed.Batch}, one socket write each).
     */
    private void deliver(String sessionId, int b) {
      long seq = 2 + 2L * b;
      if (batched(b)) {
        gateway.deliverOnThisNode(
            new SessionFeed.Batch(
                sessionId,
                List.of(published(new SessionMessage.TempoReset(sessionId, seq)),
                    published(message(b, sessionId, seq + 1)))));
      } else {
        gateway.deliverOnThisNode(published(message(b, sessionId, seq)));
      }
    }

    private static SessionFeed.Published published(SessionMessage message) {
      return new SessionFeed.Published(message.sessionId(), message, SessionFeed.Audience.SESSION, null, 0);
    }

    /**
     * One follower: SUBSCRIBE, then counts what it receives (the snapshot's NOW_PLAYING and the ACK, then one frame
     * per broadcast, in order). Completing the returned promise closes it.
     */
    private CompletableFuture<Optional<Message>> follow(String uri, String sessionId, int i, Materializer mat) {
      String subscribe =
          "{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"client_warmup_" + i
              + "\",\"messageId\":\"warmup_" + i + "\"}";
      AtomicInteger frames = new AtomicInteger();
      Sink<Message, CompletionStage<org.apache.pekko.Done>> counter =
          LoopbackClients.drained(mat)
              .toMat(
                  Sink.foreach(
                      d -> {
                        int f = frames.getAndIncrement();
                        if (f == 1) subscribed.countDown();
                        else if (f >= 2 && f - 2 < lastFrameOf.length && lastFrameOf[f - 2] >= 0) {
                          received[lastFrameOf[f - 2]].countDown();
                        }
                      }),
                  Keep.right());
      Source<Message, CompletableFuture<Optional<Message>>> out =
          Source.<Message>single(TextMessage.create(subscribe)).concatMat(Source.maybe(), Keep.right());
      return Http.get(system)
          .singleWebSocketRequest(
              WebSocketRequest.create(uri), Flow.fromSinkAndSourceCoupledMat(counter, out, Keep.right()), mat)
          .second();
    }

    private long remainingNanos() {
      return Math.max(0, deadline - System.nanoTime());
    }
  }

  /** Whether broadcast {@code b} is a track change (a NOW_PLAYING, {@link #message}) sent with its TEMPO_RESET. */
  static boolean batched(int b) {
    return b % 4 == 0;
  }

  /** Broadcast {@code b}: mostly what a real night sends most (tracks, likes, counts), every other type in turn. */
  static SessionMessage message(int b, String sessionId, long seq) {
    long pollId = 1 + b / 40;
    Instant now = Instant.now();
    switch (b % 4) {
      case 0:
        return new SessionMessage.NowPlaying(sessionId, seq, "Floorcast", track(b));
      case 1:
        return new SessionMessage.LikeReceived(sessionId, seq, track(b - 1), b);
      case 2:
        return new SessionMessage.ListenerCount(sessionId, seq, 100 + b);
      default:
        break;
    }
    switch ((b / 4) % 10) {
      case 0:
        return new SessionMessage.PollStarted(
            sessionId, seq, pollId, "Faster or slower?", List.of("Faster", "Slower", "Perfect"),
            now.plusSeconds(60), null, null, null, null);
      case 1:
        return new SessionMessage.PollUpdate(sessionId, seq, pollId, List.of(b, 1, 2), b + 3);
      case 2:
        return new SessionMessage.ReactionReceived(sessionId, seq, "thank_you", b);
      case 3:
        return new SessionMessage.AnnouncementReceived(sessionId, seq, "Last dance at 2am", "Floorcast", now, null);
      case 4:
        return new SessionMessage.MetadataUpdated(sessionId, seq, track(b));
      case 5:
        return new SessionMessage.PollEnded(sessionId, seq, pollId, List.of(b, 1, 2), b + 3, 0);
      case 6:
        return new SessionMessage.AnnouncementCancelled(sessionId, seq);
      case 7:
        return new SessionMessage.DjStatus(sessionId, seq, b % 8 != 0);
      case 8:
        return new SessionMessage.TrackStopped(sessionId, seq);
      default:
        return new SessionMessage.TempoReset(sessionId, seq);
    }
  }

  private static TrackInfo track(int b) {
    return new TrackInfo(
        "Warm-up track " + b, "Floorcast", 90.0 + b % 40, "8A", 0.7, 0.8, 0.5, 0.2, 0.6);
  }
}
