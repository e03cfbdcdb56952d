package floorcast.live.transport;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import floorcast.api.ClientIpResolver;
import floorcast.live.ConnectionHandlerFactory;
import floorcast.live.LiveMetrics;
import floorcast.net.SocketWire;
import java.net.InetAddress;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /ws} (protocol.md §1.1): per-IP upgrade rate limit (429 {@code Rate limit exceeded}), trusted-proxy
 * aware client IP, then a frame-level upgrade running one {@link ConnectionStage} per connection. Needs
 * {@code pekko.http.server.remote-address-attribute = on} (the TCP peer address).
 */
public final class WebSocketRoute {
  private final ConnectionHandlerFactory handlers;
  private final LiveSettings settings;
  private final LiveConnections connections;
  private final ConnectionIds ids;
  private final ClientIpResolver ipResolver;
  private final UpgradeRateLimiter rateLimiter;
  private final TextFrameCache frames = new TextFrameCache();
  private final LiveMetrics metrics;
  private volatile UpgradeGate gate;

  WebSocketRoute(
      ConnectionHandlerFactory handlers,
      LiveSettings settings,
      LiveConnections connections,
      ConnectionIds ids,
      UpgradeGate gate,
      LiveMetrics metrics) {
    this.handlers = handlers;
    this.metrics = metrics;
    this.settings = settings;
    this.connections = connections;
    this.ids = ids;
    this.gate = gate;
    this.ipResolver = ClientIpResolver.fromSetting(settings.trustedProxies());
    this.rateLimiter = new UpgradeRateLimiter(settings.wsRateLimit(), settings.rateWindow());
  }

  /** Installs a check on upgrade requests (e.g. an Origin allowlist); the default accepts all (§1.1). */
  public void setUpgradeGate(UpgradeGate gate) {
    this.gate = gate == null ? UpgradeGate.ACCEPT_ALL : gate;
  }

  public Route route() {
    return route(true, handlers);
  }

  /**
   * The same {@code /ws} without the per-IP upgrade rate limit and the upgrade gate, for the node's own join-path
   * warm-up on a private loopback binding ({@code floorcast.ops.JoinPathWarmup}); never bound publicly.
   */
  public Route warmupRoute() {
    return route(false, handlers);
  }

  /**
   * The warm-up's {@code /ws} (as {@link #warmupRoute()}) with its own protocol handlers: the node's broadcast-path
   * warm-up ({@code floorcast.ops.BroadcastPathWarmup}) gives its connections a stand-in session; never bound publicly.
   */
  public Route warmupRoute(ConnectionHandlerFactory warmupHandlers) {
    return route(false, warmupHandlers);
  }

  private Route route(boolean publicBinding, ConnectionHandlerFactory handlers) {
    return path("ws", () -> get(() -> extractRequest(request -> complete(upgrade(request, publicBinding, handlers)))));
  }

  private HttpResponse upgrade(HttpRequest request, boolean publicBinding, ConnectionHandlerFactory handlers) {
    String clientIp = clientIp(request);
    if (publicBinding && !rateLimiter.tryAcquire(clientIp)) {
      metrics.rateLimited("ws_upgrade");
      return text(StatusCodes.TOO_MANY_REQUESTS, "Rate limit exceeded");
    }
    if (!FrameLevelUpgrade.isUpgrade(request)) return text(StatusCodes.BAD_REQUEST, "Expected WebSocket upgrade");
    if (!connections.accepting()) return text(StatusCodes.SERVICE_UNAVAILABLE, "Server restarting");
    Optional<HttpResponse> refused = publicBinding ? gate.check(request, clientIp) : Optional.empty();
    if (refused.isPresent()) return refused.get();
    OutboundQueue queue =
        new OutboundQueue(
            settings.queueSoftBytes(),
            settings.queueHardBytes(),
            settings.queueSoftDuration().toNanos(),
            metrics::updatesDropped);
    WebSocketChannel channel = new WebSocketChannel(ids.next(), clientIp, queue, frames);
    SocketWire wire = request.getAttribute(SocketWire.ATTRIBUTE).orElse(null); // null over pekko's TCP transport
    HttpResponse switching =
        FrameLevelUpgrade.accept(request, new ConnectionStage(channel, wire, handlers, settings, connections, metrics));
    // installed once the upgrade is certain and before its 101 goes out (the client's first frame comes after it)
    if (wire != null) wire.filterInbound(new ClientPongFilter(channel::inboundSeen));
    return switching;
  }

  private String clientIp(HttpRequest request) {
    InetAddress peer =
        request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress).orElse(null);
    return ipResolver.resolve(peer, header(request, "CF-Connecting-IP"), header(request, "X-Forwarded-For"));
  }

  private static String header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value).orElse(null);
  }

  private static HttpResponse text(org.apache.pekko.http.javadsl.model.StatusCode status, String body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, body));
  }
}
