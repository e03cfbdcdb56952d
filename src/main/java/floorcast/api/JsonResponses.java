package floorcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** JSON bodies of rest.md §1: {@code {"error":"<text>"}} and object bodies, escaped by Jackson. */
public final class JsonResponses {
  static final ObjectMapper MAPPER = new ObjectMapper();

  public static final String NOT_FOUND = "Not found";
  public static final String PAYLOAD_TOO_LARGE = "Payload too large";
  public static final String INTERNAL_ERROR = "Internal Server Error";
  public static final String BAD_REQUEST = "Bad request";

  private JsonResponses() {}

  public static HttpResponse error(int status, String text) {
    return json(status, MAPPER.createObjectNode().put("error", text));
  }

  public static HttpResponse json(int status, ObjectNode body) {
    return json(status, body.toString());
  }

  public static HttpResponse json(int status, String body) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
