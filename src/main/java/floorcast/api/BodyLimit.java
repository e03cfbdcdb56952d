package floorcast.api;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * rest.md §1: a body over 1 MiB → 413 {@code {"error":"Payload too large"}}. A declared Content-Length over the
 * limit is refused without reading; other bodies are read (bounded) before the routes see them, so no route can
 * be made to buffer more. Bodiless requests (GET, WebSocket upgrades) pass untouched.
 */
public final class BodyLimit {
  private static final Logger log = LoggerFactory.getLogger(BodyLimit.class);

  private final long maxBytes;
  private final ClassicActorSystemProvider system;

  public BodyLimit(long maxBytes, ClassicActorSystemProvider system) {
    this.maxBytes = maxBytes;
    this.system = system;
  }

  public Route wrap(Route inner) {
    return extractRequest(
        request -> {
          HttpEntity e = request.entity();
          if (e.isKnownEmpty()) return inner;
          if (e.getContentLengthOption().isPresent() && e.getContentLengthOption().getAsLong() > maxBytes) {
            return tooLarge();
          }
          if (e.isStrict()) return inner;
          CompletionStage<Object> read =
              RequestBodies.read(request, maxBytes, system)
                  .handle((bytes, failure) -> failure == null ? (Object) bytes : failure);
          return onSuccess(
              read,
              result -> {
                if (result instanceof Throwable t) {
                  if (RequestBodies.tooLarge(t)) return tooLarge();
                  log.info("request body could not be read: {}", t.toString());
                  return complete(JsonResponses.error(400, JsonResponses.BAD_REQUEST));
                }
                ByteString bytes = (ByteString) result;
                return mapRequest(
                    (HttpRequest r) -> r.withEntity(r.entity().getContentType(), bytes), () -> inner);
              });
        });
  }

  private static Route tooLarge() {
    return complete(JsonResponses.error(413, JsonResponses.PAYLOAD_TOO_LARGE));
  }
}
