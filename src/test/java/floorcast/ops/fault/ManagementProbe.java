package floorcast.ops.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a node's management endpoints (docs/operations.md §3); every call fails soft (empty) when the node is down. */
final class ManagementProbe {
  record Member(String address, String status, long upNumber) {}

  private static final ObjectMapper json = new ObjectMapper();
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private ManagementProbe() {}

  static boolean ready(int n) {
    return status("http://127.0.0.1:" + NodeProcess.managementPort(n) + "/ready") == 200;
  }

  /** Members as node n sees them, and whether any member is unreachable. */
  static Optional<List<Member>> members(int n) {
    return getJson("http://127.0.0.1:" + NodeProcess.managementPort(n) + "/cluster/members", null)
        .map(
            root -> {
              List<Member> members = new ArrayList<>();
              for (JsonNode m : root.path("members")) {
                members.add(new Member(m.path("node").asText(), m.path("status").asText(), 0));
              }
              return members;
            });
  }

  static Optional<Integer> unreachableCount(int n) {
    return getJson("http://127.0.0.1:" + NodeProcess.managementPort(n) + "/cluster/members", null)
        .map(root -> root.path("unreachable").size());
  }

  static Optional<String> oldest(int n) {
    return getJson("http://127.0.0.1:" + NodeProcess.managementPort(n) + "/cluster/members", null)
        .map(root -> root.path("oldest").asText(""));
  }

  /** Session ids whose DjSession entity runs on node n (GET /debug/node). */
  static Optional<Set<String>> hostedSessions(int n) {
    return getJson(
            "http://127.0.0.1:" + NodeProcess.managementPort(n) + "/debug/node", NodeProcess.OPS_TOKEN)
        .map(
            root -> {
              Set<String> ids = new HashSet<>();
              root.path("sharding")
                  .path("DjSession")
                  .path("shards")
                  .forEach(shard -> shard.forEach(id -> ids.add(id.asText())));
              return ids;
            });
  }

  static Optional<JsonNode> activeSessions(int n) {
    return getJson("http://127.0.0.1:" + NodeProcess.httpPort(n) + "/api/sessions/active", null);
  }

  static int status(String url) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return 0;
    }
  }

  private static Optional<JsonNode> getJson(String url, String bearer) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET();
      if (bearer != null) request.header("Authorization", "Bearer " + bearer);
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) return Optional.empty();
      return Optional.of(json.readTree(response.body()));
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
