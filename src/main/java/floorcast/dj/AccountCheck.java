package floorcast.dj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code GET /api/auth/me} with the DJ token (clients.md §5, rest.md §4.10): the account's display name, or why not. */
public final class AccountCheck {
  /**
   * Either {@code displayName} or {@code error} is set; {@code refused} when the server said the token is not valid
   * (401), as opposed to not answering usefully (network, rate limit, server error).
   */
  public record Result(String displayName, String error, boolean refused) {}

  private AccountCheck() {}

  public static Result me(HttpClient http, URI server, String token) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(server + "/api/auth/me"))
              .timeout(Duration.ofSeconds(10))
              .header("Authorization", "Bearer " + token)
              .header("Accept", "application/json")
              .GET()
              .build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isBlank() ? null : new ObjectMapper().readTree(r.body());
      if (r.statusCode() == 200 && body != null && body.path("user").hasNonNull("displayName")) {
        return new Result(body.path("user").path("displayName").asText(), null, false);
      }
      String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : "HTTP " + r.statusCode();
      return new Result(null, error, r.statusCode() == 401);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(null, "interrupted", false);
    } catch (Exception e) {
      return new Result(null, "server not reachable (" + e.getClass().getSimpleName() + ")", false);
    }
  }
}
