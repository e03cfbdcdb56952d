package floorcast.api;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.apache.pekko.http.javadsl.server.AuthorizationFailedRejection;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every rejection and exception that escapes the routes into a JSON error (rest.md §1): unknown route or
 * method → 404 {@code Not found}; body limit → 413; other rejections → 400 {@code Bad request}; exceptions → 500
 * {@code Internal Server Error}. Bodies never carry stack traces, SQL or exception text; the log gets the cause.
 */
public final class JsonErrorHandling {
  private static final Logger log = LoggerFactory.getLogger(JsonErrorHandling.class);

  static final RejectionHandler REJECTIONS =
      RejectionHandler.newBuilder()
          .handle(MethodRejection.class, r -> notFound())
          .handle(
              MalformedRequestContentRejection.class,
              r ->
                  RequestBodies.tooLarge(r.getCause())
                      ? complete(JsonResponses.error(413, JsonResponses.PAYLOAD_TOO_LARGE))
                      : complete(JsonResponses.error(400, JsonResponses.BAD_REQUEST)))
          .handle(AuthorizationFailedRejection.class, r -> complete(JsonResponses.error(403, "Forbidden")))
          .handleAll(Rejection.class, rs -> complete(JsonResponses.error(400, JsonResponses.BAD_REQUEST)))
          .handleNotFound(notFound())
          .build();

  static final ExceptionHandler EXCEPTIONS =
      ExceptionHandler.newBuilder()
          .match(EntityStreamSizeException.class, e -> complete(JsonResponses.error(413, JsonResponses.PAYLOAD_TOO_LARGE)))
          .match(PayloadTooLargeException.class, e -> complete(JsonResponses.error(413, JsonResponses.PAYLOAD_TOO_LARGE)))
          .match(
              IllegalRequestException.class,
              e -> {
                int status = e.status().intValue();
                return complete(JsonResponses.error(status >= 400 && status < 500 ? status : 400, JsonResponses.BAD_REQUEST));
              })
          .matchAny(
              e -> {
                log.error("unhandled exception in a route", e);
                return complete(JsonResponses.error(500, JsonResponses.INTERNAL_ERROR));
              })
          .build();

  private JsonErrorHandling() {}

  public static Route seal(Route inner) {
    return handleExceptions(EXCEPTIONS, () -> handleRejections(REJECTIONS, () -> inner));
  }

  private static Route notFound() {
    return complete(JsonResponses.error(404, JsonResponses.NOT_FOUND));
  }
}
