package floorcast.live.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.testing.WebSocketTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Node settings and small HTTP and polling helpers shared by the end-to-end tests. */
final class E2eNodes {
  private E2eNodes() {}

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Many sockets from 127.0.0.1 per test; a generous ask timeout for a loaded 2-core machine. */
  static Map<String, Object> overrides(Map<String, Object> extra) {
    Map<String, Object> o = new HashMap<>();
    o.put("floorcast.live.ws-rate-limit", 100_000);
    o.put("floorcast.live.ask-timeout", "30s");
    o.putAll(extra);
    return o;
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** rest.md §3: a real account through the desktop's sign-up call; returns its raw token. */
  static String registerDj(int port, String email, String displayName) throws Exception {
    String body =
        "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"displayName\":\"" + displayName + "\"}";
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/auth/register"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Pika-Client", "pika-desktop")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) throw new AssertionError("register: " + r.statusCode() + " " + r.body());
    JsonNode reply = WebSocketTestClient.JSON.readTree(r.body());
    return reply.path("token").asText();
  }

  /** Polls a condition until it holds or the deadline passes. */
  static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError(what + " not within " + timeout);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
