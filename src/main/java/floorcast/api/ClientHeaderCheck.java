package floorcast.api;

import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * rest.md §1.2: every /api/auth/* request other than GET, HEAD, OPTIONS must carry {@code X-Pika-Client} with a
 * known client name, in every mode. A browser cannot send a custom header cross-site without a CORS preflight, so
 * this also keeps other sites from posting to the auth routes.
 */
public final class ClientHeaderCheck {
  public static final String HEADER = "X-Pika-Client";
  public static final Set<String> CLIENTS = Set.of("pika-web", "pika-desktop", "pika-e2e");
  public static final String INVALID_CLIENT = "Invalid client";
  private static final Set<HttpMethod> EXEMPT = Set.of(HttpMethods.GET, HttpMethods.HEAD, HttpMethods.OPTIONS);

  private ClientHeaderCheck() {}

  public static boolean passes(HttpRequest request) {
    if (EXEMPT.contains(request.method())) return true;
    return request.getHeader(HEADER).map(HttpHeader::value).map(CLIENTS::contains).orElse(false);
  }
}
