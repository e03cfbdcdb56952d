package floorcast.api;

import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The HTTP rules of rest.md §1 around all routes of a node, outermost first: no-store on /api/auth/* → CORS
 * (§1.1) → security headers →
 * JSON errors for rejections/exceptions (404 {@code Not found}, no stack traces) → body limit (413). Wrap the
 * whole route tree once: {@code HttpHygiene.from(settings, system).wrap(concat(health, auth, rest, ws))}.
 */
public final class HttpHygiene {
  private final Cors cors;
  private final BodyLimit bodyLimit;

  public HttpHygiene(Cors cors, BodyLimit bodyLimit) {
    this.cors = cors;
    this.bodyLimit = bodyLimit;
  }

  public static HttpHygiene from(SecuritySettings s, ClassicActorSystemProvider system) {
    return new HttpHygiene(Cors.from(s), new BodyLimit(s.maxBodyBytes(), system));
  }

  public Route wrap(Route inner) {
    return SecurityHeaders.noStoreForAuth(cors.wrap(SecurityHeaders.wrap(JsonErrorHandling.seal(bodyLimit.wrap(inner)))));
  }
}
