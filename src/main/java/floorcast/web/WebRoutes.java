package floorcast.web;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.encodeResponse;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The built-in dancer page (clients.md §4, rest.md §2): {@code GET /live} (lobby), {@code GET /live/<sessionId>} (the
 * join-link path) and {@code GET /live/<sessionId>/recap} all serve the same HTML from the classpath ({@code web/}); the
 * page's modules and stylesheet are under {@code /assets/}. HTML is revalidated on every load so a deploy reaches phones
 * at once; assets may be cached for an hour. Responses are compressed when the client accepts it.
 */
public final class WebRoutes {
  static final String PAGE = "web/live.html";
  static final String ASSETS = "web/assets";
  // one path segment of at most 64 characters (session ids are 8-64; anything else gets the page's "not found")
  private static final Pattern SESSION_SEGMENT = Pattern.compile("[^/]{1,64}");

  private static final List<HttpHeader> PAGE_HEADERS =
      List.of(
          RawHeader.create("Cache-Control", "no-cache"),
          RawHeader.create("X-Content-Type-Options", "nosniff"),
          RawHeader.create("Referrer-Policy", "same-origin"),
          RawHeader.create(
              "Content-Security-Policy",
              "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"));
  private static final List<HttpHeader> ASSET_HEADERS =
      List.of(RawHeader.create("Cache-Control", "public, max-age=3600"), RawHeader.create("X-Content-Type-Options", "nosniff"));

  public Route route() {
    Route page = respondWithHeaders(PAGE_HEADERS, () -> getFromResource(PAGE, ContentTypes.TEXT_HTML_UTF8));
    // gzip/deflate when the browser asks for it (Accept-Encoding): the whole page is ~40 KB raw, ~16 KB compressed
    return get(
        () ->
            encodeResponse(() -> concat(
                pathPrefix(
                    "live",
                    () ->
                        concat(
                            pathEndOrSingleSlash(() -> page),
                            pathPrefix(
                                PathMatchers.segment(SESSION_SEGMENT),
                                id -> concat(pathEndOrSingleSlash(() -> page), path("recap", () -> page))))),
                pathPrefix(
                    "assets",
                    () ->
                        concat(
                            respondWithHeaders(ASSET_HEADERS, () -> getFromResourceDirectory(ASSETS)),
                            complete(
                                StatusCodes.NOT_FOUND,
                                HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"error\":\"Not found\"}")))))));
  }
}
