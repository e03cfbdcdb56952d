package floorcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.dj.RunningDjClient;
import floorcast.ops.FloorcastNode;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole set on a real Floorcast node: the DJ command-line client reads a VirtualDJ history file, a dancer follows in
 * headless Chromium, the DJ restarts mid-set with {@code --resume}, ends the set, and the recap shows what happened.
 * Skipped (not failed) while the node does not yet serve {@code /ws} and {@code /live} (gateway and
 * {@link WebRoutes} not wired on this branch).
 */
@EnabledIf("floorcast.web.HeadlessChromium#available")
class LiveSetEndToEndTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static FloorcastNode node;
  static String base;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.single(TestDatabase.fresh(), Map.of());
    base = "http://127.0.0.1:" + node.httpPort();
    Assumptions.assumeTrue(serves("/live") && answersPing(), "node without the live gateway or the dancer page yet");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static boolean serves(String path) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("/assets/main.js");
    } catch (Exception e) {
      return false;
    }
  }

  static boolean answersPing() {
    CompletableFuture<String> first = new CompletableFuture<>();
    try {
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create(base.replace("http://", "ws://") + "/ws"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                      first.complete(data.toString());
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      ws.sendText("{\"type\":\"PING\"}", true);
      boolean pong = first.get(10, TimeUnit.SECONDS).equals("{\"type\":\"PONG\"}");
      ws.abort();
      return pong;
    } catch (Exception e) {
      return false;
    }
  }

  static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not reached: " + what.get());
      Thread.sleep(50);
    }
  }

  static String entry(long t, String artist, String title) {
    return "#EXTVDJ:<lastplaytime>" + t + "</lastplaytime><artist>" + artist + "</artist><title>" + title + "</title>\r\n"
        + "C:\\Music\\" + title + ".mp3\r\n";
  }

  @Test
  void aWholeSetWithARestartMidSet() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    Path history = dir.resolve("history.m3u");
    Files.writeString(history, "\uFEFF#EXTM3U\r\n" + entry(now - 120, "Delta Dreambox", "Queen of Loneliness"), StandardCharsets.UTF_8);
    String state = dir.resolve("state").toString();
    try (HeadlessChromium browser = new HeadlessChromium()) {
      String sessionId;
      try (RunningDjClient dj = new RunningDjClient("--server", base, "--name", "DJ E2E", "--history", history.toString(), "--state-dir", state)) {
        await(() -> dj.output().contains("Registered as \"DJ E2E\""), dj::output);
        Matcher m = Pattern.compile("Join link: " + Pattern.quote(base) + "/live/(\\S+)").matcher(dj.output());
        assertTrue(m.find(), dj.output());
        sessionId = m.group(1);

        browser.navigate(base + "/live/" + sessionId);
        browser.waitFor("document.querySelector('.np-title')?.textContent === 'Queen of Loneliness'", WAIT, dj::output);
        browser.click("[data-fid='like-current']");
        await(() -> dj.output().contains("♥ +1  Delta Dreambox – Queen of Loneliness"), dj::output);
        browser.click("[data-fid='tempo-faster']");
        await(() -> dj.output().contains("Tempo: faster 1"), dj::output);

        dj.type("quit"); // the DJ's laptop restarts mid-set
        assertEquals(0, dj.exit.get(30, TimeUnit.SECONDS));
      }
      browser.waitFor("document.querySelector('.away')?.textContent === 'DJ reconnecting…'", WAIT, () -> "DJ away shown");

      Files.writeString(history, entry(now - 5, "Rosie Carney", "Sway"), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      try (RunningDjClient dj = new RunningDjClient("--server", base, "--history", history.toString(), "--state-dir", state, "--resume", sessionId)) {
        await(() -> dj.output().contains("Resumed as \"DJ E2E\""), dj::output);
        browser.waitFor("!document.querySelector('.away')", WAIT, dj::output);
        browser.waitFor("document.querySelector('.np-title')?.textContent === 'Sway'", WAIT, dj::output);
        browser.waitFor("document.querySelector('.tracks')?.textContent.includes('Queen of Loneliness')", WAIT, dj::output);

        dj.type("poll Next style? | Blues | Funky --duration 120");
        browser.waitFor("!!document.querySelector(\"[data-fid='vote-1']\")", WAIT, dj::output);
        browser.click("[data-fid='vote-1']");
        await(() -> dj.output().contains("Funky 1  (1 votes)"), dj::output);
      } // end of input: END_SESSION
      browser.waitFor("document.querySelector('main h2')?.textContent === 'Session ended'", WAIT, () -> "ended screen");
      browser.click("main a");
      browser.waitFor("document.querySelector('main h2')?.textContent === 'Recap: DJ E2E'", WAIT, () -> "recap page");
      String table = browser.text("table");
      assertTrue(table.contains("Queen of Loneliness") && table.contains("Sway"), table);
      assertEquals("[]", browser.pageErrors.toString());
    }
  }
}
