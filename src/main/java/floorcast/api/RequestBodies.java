package floorcast.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import floorcast.ops.PekkoCompletion;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.StreamLimitReachedException;
import org.apache.pekko.util.ByteString;

/**
 * Reads a request body with a size cap and parses it as a JSON object. Anything that is not exactly one JSON
 * object (malformed, trailing garbage, too deeply nested, invalid UTF-8) is "not JSON": empty, never an exception.
 */
public final class RequestBodies {
  private static final long READ_TIMEOUT_MILLIS = 10_000;
  private static final ObjectMapper STRICT_JSON = strict(100);
  /** For bodies whose numbers are data to be ignored when odd (fingerprint metrics), not a reason to refuse. */
  private static final ObjectMapper STRICT_JSON_LONG_NUMBERS = strict(1000);

  private static ObjectMapper strict(int maxNumberLength) {
    ObjectMapper mapper = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(maxNumberLength).build());
    return mapper;
  }

  private RequestBodies() {}

  /**
   * The body bytes; fails with {@link PayloadTooLargeException} over {@code maxBytes}. Completes on the thread that
   * finishes reading the entity (at once for a strict one), not on the async executor ({@link PekkoCompletion}):
   * what callers chain on it must be short and never block.
   */
  public static CompletionStage<ByteString> read(
      HttpRequest request, long maxBytes, ClassicActorSystemProvider system) {
    return PekkoCompletion.inline(request.entity().toStrict(READ_TIMEOUT_MILLIS, maxBytes, system))
        .<ByteString>thenApply(s -> s.getData())
        .exceptionally(
            t -> {
              Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
              // declared length over the cap → EntityStreamSizeException; streamed → the limit stage's exception
              if (sizeLimit(cause)) throw new PayloadTooLargeException();
              throw new CompletionException(cause);
            });
  }

  /** The JSON object, or empty when the bytes are not one JSON object. */
  public static Optional<JsonNode> jsonObject(ByteString bytes) {
    return jsonObject(STRICT_JSON, bytes.toArray());
  }

  /** The same for a body already read as text; numbers up to 1,000 digits parse (the caller vets them). */
  public static Optional<JsonNode> jsonObject(String body) {
    return jsonObject(STRICT_JSON_LONG_NUMBERS, body.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<JsonNode> jsonObject(ObjectMapper mapper, byte[] bytes) {
    try {
      JsonNode node = mapper.readTree(bytes);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** A field that is present and a JSON string, else null ("missing or not a string"). */
  public static String stringField(Optional<JsonNode> body, String name) {
    if (body.isEmpty()) return null;
    JsonNode v = body.get().get(name);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  /** Whether a failure (possibly wrapped) is the body limit. */
  public static boolean tooLarge(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) c = c.getCause();
    return c instanceof PayloadTooLargeException || sizeLimit(c);
  }

  /**
   * The ways pekko-http reports a body over the limit: a declared length over it (EntityStreamSizeException), a
   * chunked body growing over it (EntityStreamException "Request too large"), the limit stage itself.
   */
  private static boolean sizeLimit(Throwable c) {
    if (c instanceof EntityStreamSizeException || c instanceof StreamLimitReachedException) return true;
    return c instanceof EntityStreamException e
        && e.info().summary() != null
        && e.info().summary().toLowerCase(java.util.Locale.ROOT).contains("too large");
  }
}
