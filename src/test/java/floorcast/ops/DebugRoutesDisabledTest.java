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

/**
 * Default configuration: the debug view is closed even with a token; enabled without a token it stays closed.
 */
class DebugRoutesDisabledTest {
  static final HttpClient http = HttpClient.newHttpClient();

  static HttpResponse<String> get(int port, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer anything")
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void closedByDefaultAndWithoutToken() throws Exception {
    try (FloorcastNode node = TestNodes.single(TestDatabase.fresh(), Map.of("floorcast.ops.debug.token", "anything"))) {
      int port = ManagementServer.start(node.system()).port();
      assertEquals(403, get(port, "/debug/node").statusCode());
    }
    try (FloorcastNode node = TestNodes.single(TestDatabase.fresh(), Map.of("floorcast.ops.debug.enabled", "on"))) {
      assertEquals(403, get(ManagementServer.start(node.system()).port(), "/debug/node").statusCode());
    }
  }
}
