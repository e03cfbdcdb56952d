package floorcast.net;

import com.typesafe.config.Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContextExecutor;
import scala.concurrent.duration.FiniteDuration;

/**
 * pekko-http's HTTP/1.1 server layer (routing, WebSocket upgrade, parsing, rendering: all of pekko-http as
 * {@code Http().newServerAt(…).bind(…)} runs it) over Floorcast's own non-blocking TCP transport instead of pekko's
 * TCP actors: one {@link SelectorLoop} thread for accepts and reads, and a {@link SocketStage} per connection that
 * writes on the connection's own stream thread. Each connection is still one pekko stream (handler joined with
 * {@code Http.serverLayer}); only the bottom stage differs.
 *
 * <p>Settings are pekko-http's: {@code pekko.http.server.idle-timeout} (one sweep over all connections instead of
 * a timer per connection), {@code max-connections} (accepting pauses at the limit, as pekko-http's backpressure
 * does), {@code backlog}, {@code remote-address-attribute}, {@code socket-options.so-send-buffer-size}. Plain HTTP only (no TLS: the node sits behind the
 * ingress that terminates it, docs/security.md).
 */
public final class NioHttpServer implements HttpListener {
  private static final Logger log = LoggerFactory.getLogger(NioHttpServer.class);

  /** Accepts per selector round, so that a connection storm does not starve the reads of open connections. */
  private static final int ACCEPTS_PER_ROUND = 64;

  /** How long accepting pauses after a failed accept (e.g. no file descriptor left). */
  private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

  private final ServerSocketChannel server;
  private final SelectorLoop loop;
  private final ConnectionRegistry registry;
  private final AtomicInteger accepted = new AtomicInteger();
  private final int maxConnections;
  private final int sendBuffer; // SO_SNDBUF per connection; 0: the kernel's (autotuned)
  private final ExecutionContextExecutor materializing;
  private final Scheduler scheduler;
  private final Materializer materializer;
  private final Flow<HttpRequest, HttpResponse, NotUsed> handler;
  private final BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, NotUsed> layer;
  private final InetSocketAddress localAddress;
  private final Set<HttpExchangeGate.Drain> gates = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Done> unbound = new CompletableFuture<>();
  private final CompletableFuture<Done> allClosed = new CompletableFuture<>();
  private final Cancellable idleSweep;
  private volatile boolean terminating;
  private SelectionKey acceptKey; // loop thread
  private volatile boolean acceptPaused; // written on the loop thread

  private NioHttpServer(
      ClassicActorSystemProvider system, InetSocketAddress address, Flow<HttpRequest, HttpResponse, NotUsed> handler)
      throws IOException {
    this.handler = handler;
    ServerSettings settings = ServerSettings.create(system.classicSystem());
    this.materializer = Materializer.matFromSystem(system);
    this.materializing = system.classicSystem().dispatcher();
    this.scheduler = system.classicSystem().scheduler();
    this.maxConnections = settings.getMaxConnections();
    this.sendBuffer = sendBufferSize(system.classicSystem().settings().config());
    this.layer = httpLayer(Http.get(system), settings, system.classicSystem().log());
    this.registry = new ConnectionRegistry(this::connectionEnded);
    server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(address, settings.getBacklog());
      server.configureBlocking(false);
      localAddress = (InetSocketAddress) server.getLocalAddress();
    } catch (IOException e) {
      server.close();
      throw e;
    }
    loop = new SelectorLoop("floorcast-nio-" + localAddress.getPort());
    loop.execute(this::register);
    idleSweep = scheduleIdleSweep(settings.getTimeouts().idleTimeout());
  }

  /**
   * pekko-http's idle-timeout (no byte in either direction for that long: the connection is aborted), as one
   * sweep over all connections every eighth of the timeout instead of an idle-timeout stage and timer per
   * connection.
   */
  private Cancellable scheduleIdleSweep(scala.concurrent.duration.Duration idle) {
    if (!(idle instanceof FiniteDuration finite)) return null;
    long idleNanos = finite.toNanos();
    Duration every = Duration.ofNanos(Math.max(idleNanos / 8, 100_000_000L));
    return scheduler.scheduleWithFixedDelay(
        every, every, () -> registry.abortIdle(idleNanos, System.nanoTime()), materializing);
  }

  /** Binds {@code host:port} (0: any free port) and serves {@code handler} on every connection. */
  public static NioHttpServer bind(
      ClassicActorSystemProvider system, String host, int port, Flow<HttpRequest, HttpResponse, NotUsed> handler)
      throws IOException {
    return new NioHttpServer(system, new InetSocketAddress(host, port), handler);
  }

  @Override
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  /** Connections accepted and not yet closed. */
  public int openConnections() {
    return accepted.get();
  }

  /** Stops accepting; open connections go on. */
  @Override
  public CompletionStage<Done> unbind() {
    loop.execute(() -> {
      try {
        if (acceptKey != null) acceptKey.cancel();
        server.close();
      } catch (IOException e) {
        log.debug("closing the listening socket: {}", e.toString());
      }
      unbound.complete(Done.getInstance());
    });
    return unbound;
  }

  /**
   * Stops accepting, closes idle HTTP connections and those whose request in flight has been answered
   * ({@link HttpExchangeGate}), waits until every connection has closed (the gateway closes its WebSockets itself)
   * or {@code hardDeadline} has passed, then aborts what is left and stops the selector thread.
   */
  @Override
  public CompletionStage<Done> terminate(Duration hardDeadline) {
    terminating = true;
    return unbind()
        .thenCompose(d -> {
          for (HttpExchangeGate.Drain gate : gates) gate.drain();
          if (accepted.get() == 0) allClosed.complete(Done.getInstance());
          return allClosed.toCompletableFuture()
              .completeOnTimeout(Done.getInstance(), hardDeadline.toMillis(), TimeUnit.MILLISECONDS);
        })
        .thenCompose(d -> {
          if (accepted.get() == 0) return CompletableFuture.completedFuture(Done.getInstance());
          registry.abortAll(new TimeoutException("server terminated: hard deadline passed"));
          return allClosed.toCompletableFuture()
              .completeOnTimeout(Done.getInstance(), 1, TimeUnit.SECONDS);
        })
        .thenApply(d -> {
          if (idleSweep != null) idleSweep.cancel();
          loop.close();
          return Done.getInstance();
        });
  }

  // ------------------------------------------------------------------ loop thread

  private void register() {
    try {
      acceptKey = server.register(loop.selector, SelectionKey.OP_ACCEPT, (SelectorLoop.Ready) k -> acceptSome());
    } catch (IOException e) {
      log.error("cannot register the listening socket: {}", e.toString());
    }
  }

  private boolean mayAccept() {
    return accepted.get() < maxConnections;
  }

  private void acceptSome() {
    for (int i = 0; i < ACCEPTS_PER_ROUND && mayAccept(); i++) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        // e.g. EMFILE (out of file descriptors): the listening socket stays ready, so retrying at once would spin;
        // pause accepting for a moment and let the open connections (and their closing) go on
        log.warn("accept failed, pausing accepts for {} ms: {}", ACCEPT_BACKOFF.toMillis(), e.toString());
        pauseAccepting();
        scheduler.scheduleOnce(ACCEPT_BACKOFF, () -> loop.execute(this::resumeAccepting), materializing);
        return;
      }
      if (channel == null) return;
      accepted.incrementAndGet();
      materializing.execute(() -> start(channel));
    }
    if (!mayAccept()) pauseAccepting();
  }

  /** Loop thread: stop selecting the listening socket until {@link #resumeAccepting}. */
  private void pauseAccepting() {
    if (!acceptKey.isValid()) return;
    acceptKey.interestOps(0);
    acceptPaused = true;
  }

  private void resumeAccepting() {
    if (acceptPaused && acceptKey.isValid() && mayAccept()) {
      acceptPaused = false;
      acceptKey.interestOps(SelectionKey.OP_ACCEPT);
    }
  }

  // ------------------------------------------------------------------ any thread

  private void start(SocketChannel channel) {
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (sendBuffer > 0) channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
      InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
      SocketWire wire = new SocketWire(channel, loop);
      BidiFlow.fromGraph(new HttpExchangeGate(gates, () -> terminating, wire))
          .join(handler)
          .join(layer.addAttributes(remoteAddress(remote)))
          .join(Flow.fromGraph(new SocketStage(loop, channel, wire, registry)))
          .run(materializer);
    } catch (IOException | RuntimeException e) {
      log.warn("connection from {} not started: {}", channel.socket().getRemoteSocketAddress(), e.toString());
      try {
        channel.close();
      } catch (IOException ignored) {
        // it failed already
      }
      connectionEnded();
    }
  }

  /** pekko-http's {@code socket-options.so-send-buffer-size}: {@code undefined} (0 here) or a size in bytes. */
  private static int sendBufferSize(Config config) {
    String path = "pekko.http.server.socket-options.so-send-buffer-size";
    if (!config.hasPath(path) || "undefined".equals(config.getString(path))) return 0;
    return (int) Math.min(Integer.MAX_VALUE, config.getBytes(path));
  }

  /**
   * pekko-http's server layer, built once per server as pekko-http's own binding does: building it primes a header
   * parser, which each connection then copies shallowly (one built per connection cost ≈ 8 KB of heap and ≈ 0.7 ms
   * of CPU per connection more).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, NotUsed> httpLayer(
      Http http, ServerSettings settings, LoggingAdapter log) {
    // TLSPlacebo's inbound element type is SessionBytes, a subtype of the layer's SslTlsInbound
    BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed> plain =
        (BidiFlow) TLSPlacebo.getInstance();
    return http.serverLayer(settings, Optional.empty(), log).atop(plain);
  }

  /**
   * The TCP peer as pekko-http's {@code remote-address-attribute} (what {@code Http.serverLayer(…, remoteAddress)}
   * sets when it builds a layer; pekko-http's binding adds it per connection the same way). pekko-http 1.3.0
   * internal API, pinned with the version like {@code FrameLevelUpgrade}.
   */
  private static Attributes remoteAddress(InetSocketAddress remote) {
    return org.apache.pekko.http.impl.engine.server.HttpAttributes$.MODULE$.remoteAddress(remote);
  }

  private void connectionEnded() {
    int left = accepted.decrementAndGet();
    if (acceptPaused) loop.execute(this::resumeAccepting);
    if (left == 0 && terminating) allClosed.complete(Done.getInstance());
  }
}
