package floorcast.readside;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import floorcast.api.ReadSideRoutes;
import floorcast.ops.FloorcastNode;
import floorcast.session.SessionEvent.DancerActionsRecorded;
import floorcast.session.SessionEvent.LikeAdded;
import floorcast.session.SessionEvent.SessionCreated;
import floorcast.session.SessionEvent.SessionEnded;
import floorcast.session.SessionEvent.TrackPlayed;
import floorcast.session.TrackInfo;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.junit.jupiter.api.Test;

/** An acknowledged journal write shows up in the REST read routes (journal → projection → tables → HTTP). */
class ReadSideEndToEndTest {
  @Test
  void journalEventsBecomeVisibleThroughRest() throws Exception {
    ExecutorService blocking = Executors.newFixedThreadPool(2);
    try (FloorcastNode node = TestNodes.single(TestDatabase.fresh(), Map.of())) {
      ReadSideRoutes routes =
          ReadSideRoutes.fromConfig(
              node.system().settings().config(), node.dataSource(), blocking, List::of,
              new SqlTokenAuthenticator(node.dataSource(), blocking));
      ServerBinding binding =
          Http.get(node.system()).newServerAt("127.0.0.1", 0)
              .bind(Directives.concat(routes.route(), ReadSideRoutes.notFound()))
              .toCompletableFuture().get(30, TimeUnit.SECONDS);
      String base = "http://127.0.0.1:" + binding.localAddress().getPort();
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();

      String id = "pika_1736972400000_endtoend1";
      TrackInfo sway = new TrackInfo("Sway", "Rosie Carney", 88.4, null, null, null, null, null, null);
      Instant t0 = Instant.parse("2026-01-15T20:20:00Z");
      JournalWriter.append(node.system(), id, List.of(
          new SessionCreated(id, "DJ Smooth", null, "client_owner", false, t0, "0.3.0", null),
          new TrackPlayed(sway, sway.trackKey(), true, t0.plusSeconds(60), "m1"),
          new DancerActionsRecorded(List.of(new LikeAdded("client_abc", sway.trackKey(), t0.plusSeconds(61))), List.of()),
          new SessionEnded("dj_ended", t0.plusSeconds(120), "m2")));

      Eventually.await(Duration.ofSeconds(60), "recap visible", () -> get(http, base + "/api/session/" + id + "/recap").statusCode() == 200
          && get(http, base + "/api/session/" + id + "/recap").body().contains("\"endedAt\":\"2026-01-15T20:22:00.000Z\""));
      JsonNode recap = json.readTree(get(http, base + "/api/session/" + id + "/recap").body());
      assertEquals(1, recap.get("trackCount").asInt());
      assertEquals(1, recap.get("totalLikes").asInt());
      assertEquals(88, recap.get("tracks").get(0).get("bpm").asInt());
      JsonNode likes = json.readTree(get(http, base + "/api/client/client_abc/likes").body());
      assertEquals("Sway", likes.get("likes").get(0).get("title").asText());
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      blocking.shutdown();
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
