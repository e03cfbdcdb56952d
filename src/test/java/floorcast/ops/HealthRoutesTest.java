package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HealthRoutesTest {
  static FloorcastNode node;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.single(TestDatabase.fresh(), Map.of());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthReportsConnectedDatabase() throws Exception {
    HttpResponse<String> r = get("/health");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().matches("\\{\"status\":\"ok\",\"version\":\"0.3.0\",\"timestamp\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\",\"activeSessions\":\\d+,\"database\":\"connected\"}"), r.body());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
  }

  @Test
  void readyOnceTheNodesPubSubSubscriptionsAreKnownAndThenStaysReady() throws Exception {
    // a single node: its topic actors list its own subscriptions once its receptionist has registered them
    Eventually.await(
        "/health/ready = 200", Duration.ofSeconds(60), () -> get("/health/ready").statusCode() == 200);
    assertTrue(PubSubReadiness.get(node.system().classicSystem()).check().toCompletableFuture().get(10, TimeUnit.SECONDS));
    HttpResponse<String> r = get("/health/ready");
    assertEquals(200, r.statusCode());
    assertEquals("{\"status\":\"ready\"}", r.body());
  }

  @Test
  void liveIsAlwaysOk() throws Exception {
    HttpResponse<String> r = get("/health/live");
    assertEquals(200, r.statusCode());
    assertEquals("{\"status\":\"ok\"}", r.body());
  }
}
