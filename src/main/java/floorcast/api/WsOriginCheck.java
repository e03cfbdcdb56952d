package floorcast.api;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-site WebSocket hijacking guard for browser upgrades (reliability guide §8.1; CORS does not cover /ws):
 * an {@code Origin} that is present must be exactly allowed; an absent one is a non-browser client (the DJ
 * desktop, our CLI) and passes. Allowed: {@code floorcast.security.ws-origins}, or when that is empty the CORS
 * origins + localhost (any port) + the Tauri desktop origins; and always the node's own origin (Origin host[:port]
 * equal to the request's Host).
 *
 * <p>protocol.md §1.1 says {@code /ws} has no Origin check (desktop apps connect from non-web origins), so the
 * check only refuses when {@code floorcast.security.ws-origin-check = on}; otherwise {@link #allows} is still
 * evaluated and refusals are only logged, which shows what enabling it would block.
 */
public final class WsOriginCheck {
  private static final Logger log = LoggerFactory.getLogger(WsOriginCheck.class);
  static final List<String> DESKTOP_ORIGINS = List.of("tauri://localhost", "http://tauri.localhost", "https://tauri.localhost");
  private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

  private final boolean enforce;
  private final Set<String> allowed;
  private final boolean anyLocalhost;

  public WsOriginCheck(boolean enforce, List<String> allowedOrigins, boolean anyLocalhost) {
    this.enforce = enforce;
    this.allowed = Set.copyOf(allowedOrigins);
    this.anyLocalhost = anyLocalhost;
  }

  public static WsOriginCheck from(SecuritySettings s) {
    if (!s.wsOrigins().isEmpty()) return new WsOriginCheck(s.wsOriginCheck(), s.wsOrigins(), false);
    Set<String> list = new LinkedHashSet<>(s.corsOrigins());
    list.addAll(DESKTOP_ORIGINS);
    return new WsOriginCheck(s.wsOriginCheck(), List.copyOf(list), true);
  }

  /** The predicate: absent Origin → allowed; else exact allowlist, own origin, or (default list) localhost. */
  public boolean allows(Optional<String> origin, Optional<String> host) {
    if (origin.isEmpty()) return true;
    String o = origin.get();
    if (allowed.contains(o)) return true;
    Optional<URI> uri = parse(o);
    if (uri.isEmpty()) return false;
    String authority = uri.get().getRawAuthority();
    if (host.isPresent() && authority != null && authority.equalsIgnoreCase(host.get())) return true;
    String h = uri.get().getHost();
    return anyLocalhost && h != null && LOCAL_HOSTS.contains(h.toLowerCase(Locale.ROOT));
  }

  public boolean allows(HttpRequest request) {
    return allows(request.getHeader("Origin").map(HttpHeader::value), request.getHeader("Host").map(HttpHeader::value));
  }

  /** Directive for the /ws route: {@code path("ws", () -> wsOrigins.check(() -> handleWebSocketMessages(...)))}. */
  public Route check(Supplier<Route> inner) {
    return extractRequest(request -> refusal(request).<Route>map(r -> complete(r)).orElseGet(inner));
  }

  /**
   * The response refusing this upgrade, or empty when it may proceed (also when the check is off: then a would-be
   * refusal is only logged). Used as the gateway's upgrade gate.
   */
  public Optional<HttpResponse> refusal(HttpRequest request) {
    if (allows(request)) return Optional.empty();
    String origin = request.getHeader("Origin").map(HttpHeader::value).orElse("");
    if (!enforce) {
      log.info("WebSocket upgrade from origin {} would be refused (ws-origin-check off)", origin);
      return Optional.empty();
    }
    log.info("WebSocket upgrade refused: origin {} not allowed", origin);
    return Optional.of(
        HttpResponse.create()
            .withStatus(StatusCodes.FORBIDDEN)
            .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, "Origin not allowed")));
  }

  private static Optional<URI> parse(String origin) {
    try {
      URI u = new URI(origin);
      return u.getScheme() == null ? Optional.empty() : Optional.of(u);
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
