package floorcast.api;

import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.mapResponse;

import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Response headers against content sniffing, framing and referrer leaks (rest.md §1 asks for nosniff). JSON
 * additionally gets a CSP that forbids everything: an API response opened as a document can run nothing. HTML
 * pages (the dancer page) set their own CSP. No caching headers here (rest.md §1: none besides no-store on auth).
 * TLS and HSTS belong to the proxy in front.
 */
public final class SecurityHeaders {
  private SecurityHeaders() {}

  public static Route wrap(Route inner) {
    return mapResponse(SecurityHeaders::add, () -> inner);
  }

  /**
   * rest.md §1: every {@code /api/auth/*} response carries {@code Cache-Control: no-store}, including the CORS
   * preflight and errors produced outside the auth routes.
   */
  public static Route noStoreForAuth(Route inner) {
    return extractRequest(
        request -> {
          String path = request.getUri().path();
          if (!path.equals("/api/auth") && !path.startsWith("/api/auth/")) return inner;
          return mapResponse(r -> setIfAbsent(r, "Cache-Control", "no-store"), () -> inner);
        });
  }

  static HttpResponse add(HttpResponse r) {
    if (r.status().intValue() == 101) return r;
    HttpResponse out = r;
    out = setIfAbsent(out, "X-Content-Type-Options", "nosniff");
    out = setIfAbsent(out, "X-Frame-Options", "DENY");
    out = setIfAbsent(out, "Referrer-Policy", "no-referrer");
    String type = r.entity().getContentType().mediaType().toString();
    if (type.equals("application/json")) {
      out = setIfAbsent(out, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
    return out;
  }

  private static HttpResponse setIfAbsent(HttpResponse r, String name, String value) {
    return r.getHeader(name).isPresent() ? r : r.addHeader(RawHeader.create(name, value));
  }
}
