package floorcast.api;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * CORS of rest.md §1.1, written by hand (exact-origin list; no pekko-http-cors for 1.3 exists):
 * <ul>
 *   <li>production: an {@code Origin} exactly in {@code CORS_ORIGINS} is echoed with
 *       {@code Access-Control-Allow-Credentials: true} and {@code Vary: Origin}; any other origin gets no CORS
 *       headers and the request is still served (a disallowed preflight therefore reaches the routes: 404);</li>
 *   <li>development: {@code Access-Control-Allow-Origin: *}, no credentials; test: {@code *} with credentials;</li>
 *   <li>preflight ({@code OPTIONS} with CORS headers to send): 204 with the fixed methods/headers/max-age.</li>
 * </ul>
 * WebSocket upgrades are left alone (CORS does not apply to them).
 */
public final class Cors {
  static final String ALLOW_METHODS = "GET, POST, OPTIONS";
  static final String ALLOW_HEADERS = "Content-Type, Authorization, X-Pika-Client, X-Requested-With";
  static final String MAX_AGE = "600";

  private final RunMode mode;
  private final Set<String> allowed;

  public Cors(RunMode mode, List<String> allowedOrigins) {
    this.mode = mode;
    this.allowed = Set.copyOf(allowedOrigins);
  }

  public static Cors from(SecuritySettings s) {
    return new Cors(s.mode(), s.corsOrigins());
  }

  public Route wrap(Route inner) {
    return extractRequest(
        request -> {
          if (isUpgrade(request)) return inner;
          List<HttpHeader> headers = headersFor(request.getHeader("Origin").map(HttpHeader::value));
          if (request.method().equals(HttpMethods.OPTIONS) && !headers.isEmpty()) {
            List<HttpHeader> preflight = new ArrayList<>(headers);
            preflight.add(RawHeader.create("Access-Control-Allow-Methods", ALLOW_METHODS));
            preflight.add(RawHeader.create("Access-Control-Allow-Headers", ALLOW_HEADERS));
            preflight.add(RawHeader.create("Access-Control-Max-Age", MAX_AGE));
            return complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT).addHeaders(preflight));
          }
          if (headers.isEmpty()) return inner;
          return respondWithHeaders(headers, () -> inner);
        });
  }

  /** The CORS headers for this origin; empty when the origin is not allowed (or absent in production). */
  List<HttpHeader> headersFor(Optional<String> origin) {
    switch (mode) {
      case DEVELOPMENT:
        return List.of(RawHeader.create("Access-Control-Allow-Origin", "*"));
      case TEST:
        return List.of(
            RawHeader.create("Access-Control-Allow-Origin", "*"),
            RawHeader.create("Access-Control-Allow-Credentials", "true"));
      default:
        if (origin.isEmpty() || !allowed.contains(origin.get())) return List.of();
        return List.of(
            RawHeader.create("Access-Control-Allow-Origin", origin.get()),
            RawHeader.create("Access-Control-Allow-Credentials", "true"),
            RawHeader.create("Vary", "Origin"));
    }
  }

  static boolean isUpgrade(HttpRequest request) {
    return request.getHeader("Upgrade").map(h -> h.value().toLowerCase(java.util.Locale.ROOT).contains("websocket")).orElse(false);
  }
}
