package floorcast.live.transport;

import com.typesafe.config.Config;
import floorcast.live.ConnectionHandlerFactory;
import floorcast.live.LiveMetrics;
import floorcast.live.MessageRenderer;
import floorcast.live.NodeFanout;
import floorcast.session.SessionFeed;
import floorcast.session.SessionPublisher;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live gateway's transport side of one node, assembled: cluster topics, the node fan-out, the session publisher
 * for the session entities, the live-session directory, the open connections and the {@code GET /ws} route. The
 * protocol logic plugs in as a {@link ConnectionHandlerFactory} built from this gateway (it needs the fan-out, the
 * directory, ...), and the wire codec as {@code renderer} (one JSON rendering per message per node).
 */
public final class LiveGateway {
  private static final Logger log = LoggerFactory.getLogger(LiveGateway.class);
  /** Upper bound for waiting on the 1012 closes during shutdown (stack.md §4.4). */
  private static final Duration SHUTDOWN_CLOSE_DEADLINE = Duration.ofSeconds(8);

  private final LiveSettings settings;
  private final ClusterNodeFanout fanout;
  private final LiveSessionDirectory directory;
  private final ClusterSessionPublisher publisher;
  private final LiveConnections connections;
  private final WebSocketRoute webSocket;
  private final SubscriptionReadiness subscriptionReadiness;

  /**
   * @param dataSource the read side, for the directory's bootstrap; null skips the bootstrap
   * @param handlers builds the protocol handler factory once the gateway's parts exist
   * @param renderer the wire codec: a session message to its JSON text (protocol.md §6)
   * @param metrics the node's meters (connections, closes, fan-out, queues, upgrade rate limit)
   */
  public LiveGateway(
      ActorSystem<?> system,
      Config config,
      DataSource dataSource,
      Function<LiveGateway, ConnectionHandlerFactory> handlers,
      MessageRenderer renderer,
      LiveMetrics metrics) {
    this.settings = LiveSettings.from(config);
    FanoutLanes lanes = new FanoutLanes(settings.fanoutLanes(), system.executionContext());
    this.fanout = new ClusterNodeFanout(renderer, metrics, lanes, settings.fanoutInlineFollowers());
    this.directory = new LiveSessionDirectory();
    SessionTopics topics = new SessionTopics(system, settings.topicCount(), fanout::deliver, directory::apply);
    this.publisher = new ClusterSessionPublisher(topics, settings.publishBatches());
    this.subscriptionReadiness = new SubscriptionReadiness(system, topics);
    this.connections = new LiveConnections();
    KeepAliveTicker.start(system, connections, settings);
    this.webSocket =
        new WebSocketRoute(
            handlers.apply(this), settings, connections, new ConnectionIds(system), UpgradeGate.ACCEPT_ALL, metrics);
    if (!config.getBoolean("pekko.http.server.remote-address-attribute")) {
      log.error("pekko.http.server.remote-address-attribute is off: every client shares one upgrade rate-limit bucket");
    }
    if (dataSource != null) {
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
      directory.bootstrap(system, dataSource, blocking, settings.askTimeout());
    }
  }

  /** {@code GET /ws}. */
  public Route route() {
    return webSocket.route();
  }

  /** {@code GET /ws} for the node's own join-path warm-up: no rate limit, no gate; bound on loopback only. */
  public Route warmupRoute() {
    return webSocket.warmupRoute();
  }

  /** {@code GET /ws} for the broadcast-path warm-up: as {@link #warmupRoute()}, with the warm-up's own handlers. */
  public Route warmupRoute(ConnectionHandlerFactory warmupHandlers) {
    return webSocket.warmupRoute(warmupHandlers);
  }

  /**
   * Hands a session's feed to this node's listeners as if it had come from the session's topic, without the cluster
   * (nothing reaches another node): the broadcast-path warm-up's stand-in session publishes through it. Calls for
   * one session must not overlap (a topic's feed actor delivers one message at a time).
   */
  public void deliverOnThisNode(SessionFeed feed) {
    fanout.deliver(feed);
  }

  /** For the session entities (DjSession's publisher). */
  public SessionPublisher publisher() {
    return publisher;
  }

  public NodeFanout fanout() {
    return fanout;
  }

  /** Readiness: this node's pub/sub subscriptions are known cluster-wide (and it knows everyone else's). */
  public SubscriptionReadiness subscriptionReadiness() {
    return subscriptionReadiness;
  }

  public LiveSessionDirectory directory() {
    return directory;
  }

  public LiveSettings settings() {
    return settings;
  }

  LiveConnections connections() {
    return connections;
  }

  /** Gauge: open WebSocket connections on this node. */
  public int connectionCount() {
    return connections.count();
  }

  public void setUpgradeGate(UpgradeGate gate) {
    webSocket.setUpgradeGate(gate);
  }

  /** Graceful shutdown (§7.6): every connection closes with 1012 {@code Server restarting}; new upgrades get 503. */
  public java.util.concurrent.CompletionStage<org.apache.pekko.Done> closeAllForRestart() {
    return connections.closeAllForRestart(SHUTDOWN_CLOSE_DEADLINE);
  }

  /**
   * Registers the 1012 close of every connection in CoordinatedShutdown phase {@code service-requests-done}; the
   * wait for the closing handshakes ends 1 s before that phase's timeout.
   */
  public void addToCoordinatedShutdown(ActorSystem<?> system) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    Duration phase = Duration.ofMillis(shutdown.timeout(CoordinatedShutdown.PhaseServiceRequestsDone()).toMillis());
    Duration wait = phase.minusSeconds(1);
    Duration deadline = wait.compareTo(SHUTDOWN_CLOSE_DEADLINE) > 0 ? SHUTDOWN_CLOSE_DEADLINE : wait;
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        "close-websockets",
        () -> connections.closeAllForRestart(deadline.isNegative() ? Duration.ZERO : deadline));
  }
}
