package floorcast.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import floorcast.wire.Timestamps;
import java.time.Instant;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** JSON bodies of the REST API: JavaScript number and timestamp rendering, explicit nulls where the shapes have them. */
public final class RestJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final double MAX_SAFE_INTEGER = 9007199254740991d;

  private RestJson() {}

  public static HttpResponse json(int status, JsonNode body) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }

  public static HttpResponse error(int status, String text) {
    return json(status, object().put("error", text));
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** JavaScript renders integral numbers without a fraction (88, not 88.0). */
  static JsonNode number(Double value) {
    if (value == null) return NODES.nullNode();
    if (value == Math.rint(value) && Math.abs(value) <= MAX_SAFE_INTEGER) return NODES.numberNode(value.longValue());
    return NODES.numberNode(value);
  }

  static JsonNode integer(Integer value) {
    return value == null ? NODES.nullNode() : NODES.numberNode(value);
  }

  static JsonNode text(String value) {
    return value == null ? NODES.nullNode() : NODES.textNode(value);
  }

  static JsonNode time(Instant instant) {
    return instant == null ? NODES.nullNode() : NODES.textNode(Timestamps.format(instant));
  }
}
