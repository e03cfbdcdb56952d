package floorcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dancer page routes over real HTTP (clients.md §4). */
class WebRoutesTest {
  static ActorSystem<Void> system;
  static ServerBinding binding;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "web-routes-test",
            ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING").withFallback(ConfigFactory.defaultReference()));
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(new WebRoutes().route()).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void lobbyAndSessionPathsServeTheSamePage() throws Exception {
    HttpResponse<String> lobby = get("/live");
    assertEquals(200, lobby.statusCode());
    assertEquals("text/html; charset=UTF-8", lobby.headers().firstValue("content-type").orElse(""));
    assertEquals("no-cache", lobby.headers().firstValue("cache-control").orElse(""));
    assertEquals("nosniff", lobby.headers().firstValue("x-content-type-options").orElse(""));
    assertTrue(lobby.body().contains("<script type=\"module\" src=\"/assets/main.js\"></script>"));
    for (String p : new String[] {"/live/", "/live/pika_1736972400000_k3j9x2m1q", "/live/pika_1736972400000_k3j9x2m1q/", "/live/session_1_abcdefgh/recap"}) {
      HttpResponse<String> r = get(p);
      assertEquals(200, r.statusCode(), p);
      assertEquals(lobby.body(), r.body(), p);
    }
  }

  @Test
  void otherLivePathsAreNotThePage() throws Exception {
    assertEquals(404, get("/live/pika_1/recap/extra").statusCode());
    assertEquals(404, get("/live/" + "x".repeat(65)).statusCode());
    assertEquals(404, get("/lively").statusCode());
  }

  @Test
  void assetsHaveTheirContentTypesAndCacheControl() throws Exception {
    HttpResponse<String> js = get("/assets/main.js");
    assertEquals(200, js.statusCode());
    assertTrue(js.headers().firstValue("content-type").orElse("").startsWith("application/javascript"), js.headers().toString());
    assertEquals("public, max-age=3600", js.headers().firstValue("cache-control").orElse(""));
    HttpResponse<String> css = get("/assets/live.css");
    assertEquals(200, css.statusCode());
    assertTrue(css.headers().firstValue("content-type").orElse("").startsWith("text/css"), css.headers().toString());
  }

  @Test
  void pageAndAssetsAreGzippedWhenAccepted() throws Exception {
    long raw = 0;
    long compressed = 0;
    for (String p : new String[] {"/live", "/assets/session-view.js", "/assets/live.css"}) {
      HttpResponse<byte[]> plain = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + p)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<byte[]> gz = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + p)).header("Accept-Encoding", "gzip").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals("gzip", gz.headers().firstValue("content-encoding").orElse(""), p);
      try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))) {
        assertTrue(java.util.Arrays.equals(plain.body(), in.readAllBytes()), p);
      }
      raw += plain.body().length;
      compressed += gz.body().length;
    }
    assertTrue(compressed < raw / 2, compressed + " of " + raw);
  }

  @Test
  void unknownAssetsAndTraversalAre404() throws Exception {
    HttpResponse<String> missing = get("/assets/nope.js");
    assertEquals(404, missing.statusCode());
    assertEquals("{\"error\":\"Not found\"}", missing.body());
    assertEquals(404, get("/assets/..%2Flive.html").statusCode());
    assertEquals(404, get("/assets/").statusCode());
  }

  /** Every module the page imports (transitively) is served: the page cannot break on a missing file. */
  @Test
  void everyImportedModuleIsServed() throws Exception {
    Pattern importPattern = Pattern.compile("from '\\./([a-z-]+\\.js)'");
    Set<String> seen = new LinkedHashSet<>();
    java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(java.util.List.of("main.js"));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!seen.add(name)) continue;
      HttpResponse<String> r = get("/assets/" + name);
      assertEquals(200, r.statusCode(), name);
      Matcher m = importPattern.matcher(r.body());
      while (m.find()) todo.push(m.group(1));
    }
    assertTrue(seen.containsAll(Set.of("main.js", "connection.js", "session-view.js", "lobby-view.js", "recap-view.js", "offline-likes.js")), seen.toString());
  }
}
