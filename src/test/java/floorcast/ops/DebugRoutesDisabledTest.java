package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Default configuration: the debug view is closed even with a token; enabled without a token it stays closed. */
class DebugRoutesDisabledTest {
  static final HttpClient http = HttpClient.newHttpClient();

  static int debugStatus(Map<String, Object> overrides) throws Exception {
    try (FloorcastNode node = TestNodes.single(TestDatabase.fresh(), overrides)) {
      int port = ManagementServer.start(node.system()).port();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/debug/node"))
              .header("Authorization", "Bearer anything")
              .build();
      return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
  }

  @Test
  void closedByDefaultAndWithoutToken() throws Exception {
    assertEquals(403, debugStatus(Map.of("floorcast.ops.debug.token", "anything")));
    assertEquals(403, debugStatus(Map.of("floorcast.ops.debug.enabled", "on")));
  }
}
