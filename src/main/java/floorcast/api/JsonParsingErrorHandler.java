package floorcast.api;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Requests pekko-http refuses before routing (malformed request line or headers, headers too long, unknown
 * methods) get JSON bodies like every other error (rest.md §1) instead of the engine's plain text. An unknown
 * method is "unknown route or method": 404 {@code Not found}, not the engine's 501. Configured in http.conf as
 * {@code pekko.http.server.parsing.error-handler}.
 */
public final class JsonParsingErrorHandler extends ParsingErrorHandler {
  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    int code = status.intValue();
    log.info("refused unparsable request: {} {}", code, info.summary());
    if (code == 501) return JsonResponses.error(404, JsonResponses.NOT_FOUND);
    if (code == 413) return JsonResponses.error(413, JsonResponses.PAYLOAD_TOO_LARGE);
    return JsonResponses.error(code >= 400 && code < 500 ? code : 400, JsonResponses.BAD_REQUEST);
  }
}
