package floorcast.ops;

import floorcast.net.HttpListener;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the dancer join path before the node takes dancers: a fresh JVM spent a quarter of its CPU in the JIT
 * compilers while 10,000 dancers joined it, and the same storm on a warmed node needed half the CPU per join with
 * no handshake timeouts (docs/benchmarks.md, "T1: 10,000 subscribed in ≤ 20 s, measured as such").
 *
 * <p>Opens {@code connections} WebSockets to the node's own {@code /ws} on a private loopback binding (port chosen by
 * the OS, closed afterwards; the route without the per-IP rate limit and the upgrade gate). Each sends one SUBSCRIBE
 * and waits for its two replies, then closes: every other one a web client's lobby SUBSCRIBE (no sessionId,
 * protocol.md §4.1 step 1: SESSIONS_LIST, ACK), the rest a dancer's SUBSCRIBE to a session that was never
 * registered (step 2: SESSION_ENDED, ACK; the gateway asks the session entity, as for a real join). That is TCP
 * accept, HTTP parsing, the upgrade, stream materialisation, frame decoding and encoding, the protocol handler, the
 * lobby and the ask to a session entity through sharding. Nothing of a session is persisted and no listener is
 * registered; the one entity started stops after the idle passivation like any entity a stale join link wakes
 * (sharding notes its shard). The node reports ready only after it (see FloorcastNode); a failed or slow warm-up is
 * logged and does not keep the node unready.
 */
public final class JoinPathWarmup {
  private static final Logger log = LoggerFactory.getLogger(JoinPathWarmup.class);
  private static final Duration PER_CONNECTION = Duration.ofSeconds(10);
  /** 8–64 characters (protocol.md §2) and never a registered session: registered ids start with "pika_". */
  static final String SESSION_ID = "floorcast_warmup";

  /** What a warm-up did: joins answered, joins failed, wall time. */
  public record Result(int answered, int failed, long millis) {}

  private JoinPathWarmup() {}

  public static CompletionStage<Result> run(
      ActorSystem<?> system, String transport, Route warmupRoute, int connections, int parallelism, Duration limit) {
    long t0 = System.nanoTime();
    Materializer mat = Materializer.matFromSystem(system);
    return HttpListener.bind(system, transport, "127.0.0.1", 0, warmupRoute)
        .thenCompose(
            binding -> {
              String uri = "ws://127.0.0.1:" + binding.localAddress().getPort() + "/ws";
              CompletionStage<int[]> joins =
                  Source.range(1, connections)
                      .mapAsyncUnordered(
                          parallelism,
                          i -> join(system, mat, uri, i).handle((done, failure) -> failure == null))
                      .completionTimeout(limit)
                      .runWith(
                          Sink.fold(new int[2], (n, ok) -> {
                            n[ok ? 0 : 1]++;
                            return n;
                          }),
                          mat)
                      .exceptionally(e -> new int[] {0, connections});
              return joins.thenCompose(
                  n -> LoopbackClients.unbind(binding).thenApply(d -> new Result(n[0], n[1], (System.nanoTime() - t0) / 1_000_000)));
            })
        .whenComplete(
            (r, e) -> {
              if (e != null) log.warn("join-path warm-up failed: {}", e.toString());
              else log.info("join-path warm-up: {} of {} joins answered in {} ms", r.answered(), connections, r.millis());
            });
  }

  /** One dancer: upgrade, a lobby or a session SUBSCRIBE, its two replies, close. */
  private static CompletionStage<Done> join(ActorSystem<?> system, Materializer mat, String uri, int i) {
    String session = i % 2 == 0 ? "\"sessionId\":\"" + SESSION_ID + "\"," : "";
    String subscribe =
        "{\"type\":\"SUBSCRIBE\"," + session + "\"clientId\":\"client_warmup_" + i + "\",\"messageId\":\"warmup_"
            + i + "\"}";
    Sink<Message, CompletionStage<Done>> replies =
        Flow.<Message>create()
            .idleTimeout(PER_CONNECTION)
            .via(LoopbackClients.drained(mat))
            .take(2)
            .toMat(Sink.ignore(), Keep.right());
    Flow<Message, Message, CompletionStage<Done>> client =
        Flow.fromSinkAndSourceCoupledMat(
            replies, Source.<Message>single(TextMessage.create(subscribe)).concat(Source.maybe()), Keep.left());
    return Http.get(system).singleWebSocketRequest(WebSocketRequest.create(uri), client, mat).second();
  }
}
