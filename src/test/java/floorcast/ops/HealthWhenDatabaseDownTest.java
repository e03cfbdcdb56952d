package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.testing.ClusterSystems;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rest.md §6: /health answers 503 with the spec's body when the database does not answer. */
class HealthWhenDatabaseDownTest {
  @Test
  void healthIs503AndNotReadyWhenTheDatabaseIsGone() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    String name = TestDatabase.name(db);
    FloorcastNode node = TestNodes.single(db, Map.of());
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI health = URI.create("http://127.0.0.1:" + node.httpPort() + "/health");
      assertEquals(200, http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      try (Connection c = TestDatabase.server().getPostgresDatabase().getConnection();
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE " + name + " WITH (FORCE)");
      }
      ClusterSystems.await(Duration.ofSeconds(20), () -> {
        try {
          return http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 503;
        } catch (Exception e) {
          return false;
        }
      });
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, r.statusCode());
      assertTrue(r.body().matches("\\{\"status\":\"error\",\"version\":\"0.3.0\",\"timestamp\":\"[^\"]+Z\",\"error\":\"Database unavailable\"}"), r.body());
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, ready.statusCode());
      assertEquals("{\"status\":\"not_ready\"}", ready.body());
    } finally {
      node.close();
    }
  }
}
