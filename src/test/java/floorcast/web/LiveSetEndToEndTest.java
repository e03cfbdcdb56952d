package floorcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import floorcast.dj.RunningDjClient;
import floorcast.ops.DatabaseSettings;
import floorcast.ops.FloorcastNode;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole set on a real Floorcast node (clients.md §4–§6): the DJ command-line client reads a VirtualDJ history file,
 * two dancers follow in one headless Chromium (separate browser contexts, so separate client ids), like, vote, see
 * the poll result and the announcement; the node is stopped and started again on the same port and database mid-set
 * and everybody recovers; the DJ client itself restarts with {@code --resume}; the set ends and the recap shows it.
 * The read side must then hold every play exactly once, in order.
 *
 * <p>Screenshots of the lobby, the live session and the recap go to {@code target/screenshots}, or to the folder in
 * the system property {@code floorcast.screenshots} (README's {@code docs/screenshots} were made with
 * {@code -Dfloorcast.screenshots=docs/screenshots}).
 */
@EnabledIf("floorcast.web.HeadlessChromium#available")
class LiveSetEndToEndTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, Object> NODE = Map.of("floorcast.live.ws-rate-limit", 1000);
  static final Path SHOTS = Path.of(System.getProperty("floorcast.screenshots", "target/screenshots"));

  static HeadlessChromium browser;
  static DatabaseSettings db;
  static FloorcastNode node;
  static int port;
  static String base;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.fresh();
    node = TestNodes.single(db, NODE);
    port = node.httpPort();
    base = "http://127.0.0.1:" + port;
    browser = new HeadlessChromium();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) browser.close();
    } finally {
      if (node != null) node.close();
    }
  }

  /** Stops the node and starts a new one on the same port and database: every socket drops, state is recovered. */
  static void restartNode() throws Exception {
    node.close();
    node = null;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (node == null) {
      try {
        node = TestNodes.single(db, Map.of("floorcast.live.ws-rate-limit", 1000, "floorcast.http.port", port));
      } catch (Exception portStillClosing) {
        if (System.nanoTime() > deadline) throw portStillClosing;
        Thread.sleep(500);
      }
    }
  }

  static void await(BooleanSupplier condition, Supplier<String> what) throws Exception {
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

  static void append(Path history, String text) throws Exception {
    Files.writeString(history, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  static JsonNode getJson(String path) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.missingNode();
    } catch (Exception e) {
      return JSON.missingNode(); // node restarting
    }
  }

  /** Titles of the read side's history, oldest first. */
  static List<String> playedTitles(String sessionId) {
    List<String> titles = new ArrayList<>();
    getJson("/api/session/" + sessionId + "/history").forEach(p -> titles.add(0, p.path("title").asText()));
    return titles;
  }

  static String nowPlaying(String title) {
    return "document.querySelector('.np-title')?.textContent === '" + title + "'";
  }

  static void bothSee(HeadlessChromium.Tab a, HeadlessChromium.Tab b, String expression, Supplier<String> what) throws Exception {
    a.waitFor(expression, WAIT, what);
    b.waitFor(expression, WAIT, what);
  }

  static Path history(Path dir, String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void aWholeSetWithANodeRestartAndAClientRestartMidSet() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    // tonight's first play is imported as already sent (--import-history); a line that is neither header, entry nor
    // path sits between entries, as after a crash of VirtualDJ
    Path history =
        history(dir, "history.m3u", "\uFEFF#EXTM3U\r\n" + entry(now - 600, "Agnes Obel", "Riverside")
            + "VirtualDJ crashed here\r\n" + entry(now - 300, "Delta Dreambox", "Queen of Loneliness"));
    Path otherHistory = history(dir, "other.m3u", "#EXTM3U\n" + entry(now - 60, "Rosie Carney", "Sway"));
    String state = dir.resolve("state").toString();
    HeadlessChromium.Tab ana = browser.newDancer();
    HeadlessChromium.Tab ben = browser.newDancer();
    ana.emulatePhone(1);
    ben.emulatePhone(1);

    String sessionId;
    try (RunningDjClient nova = new RunningDjClient("--server", base, "--name", "DJ Nova", "--history", otherHistory.toString(), "--state-dir", dir.resolve("nova").toString());
        RunningDjClient dj = new RunningDjClient("--server", base, "--name", "DJ Smooth", "--history", history.toString(), "--state-dir", state, "--import-history")) {
      await(() -> dj.output().contains("Registered as \"DJ Smooth\"") && nova.output().contains("Registered as \"DJ Nova\""), () -> dj.output() + nova.output());
      Matcher m = Pattern.compile("Join link: " + Pattern.quote(base) + "/live/(\\S+)").matcher(dj.output());
      assertTrue(m.find(), dj.output());
      sessionId = m.group(1);
      assertTrue(dj.output().contains("history line 4 skipped (not part of a VirtualDJ entry): VirtualDJ crashed here"), dj.output());
      assertTrue(dj.output().contains("Imported 2 earlier play(s) of tonight's set"), dj.output());
      await(() -> dj.output().contains("Now playing for the floor: Delta Dreambox – Queen of Loneliness"), dj::output);
      await(() -> nova.output().contains("Now playing for the floor: Rosie Carney – Sway"), nova::output);

      // lobby: both sets listed with what they play; Ana joins DJ Smooth from it
      ana.navigate(base + "/live");
      ana.waitFor("document.querySelectorAll('.sessions li').length === 2 && document.querySelector('.sessions').textContent.includes('Queen of Loneliness')", WAIT, () -> "lobby");
      ana.screenshot(SHOTS.resolve("lobby.png"));
      ana.click("a[href='/live/" + sessionId + "']");
      ben.navigate(base + "/live/" + sessionId);
      bothSee(ana, ben, nowPlaying("Queen of Loneliness"), dj::output);
      nova.type("end");
      assertEquals(0, nova.exit.get(30, TimeUnit.SECONDS), nova.output());

      ana.click("[data-fid='like-current']");
      await(() -> dj.output().contains("♥ +1  Delta Dreambox – Queen of Loneliness"), dj::output);
      ben.click("[data-fid='tempo-faster']");
      await(() -> dj.output().contains("Tempo: faster 1"), dj::output);

      append(history, entry(now - 100, "Rosie Carney", "Sway"));
      bothSee(ana, ben, nowPlaying("Sway"), dj::output);
      bothSee(ana, ben, "document.querySelector('.tracks')?.textContent.includes('Queen of Loneliness')", dj::output);

      dj.type("poll Next style? | Blues | Funky | Lyrical --duration 300");
      bothSee(ana, ben, "!!document.querySelector(\"[data-fid='vote-2']\")", dj::output);
      ana.click("[data-fid='vote-1']");
      ben.click("[data-fid='vote-1']");
      await(() -> dj.output().contains("Blues 0 | Funky 2 | Lyrical 0  (2 votes)"), dj::output);
      dj.type("announce Last dance in 10 minutes! Water is free at the bar");
      bothSee(ana, ben, "document.querySelector('.announce')?.textContent.includes('Last dance in 10 minutes!')", dj::output);
      bothSee(ana, ben, "document.querySelector('.poll')?.textContent.includes('2 votes')", dj::output);
      ana.screenshot(SHOTS.resolve("live-session.png"));
      dj.type("endpoll");
      bothSee(ana, ben, "document.querySelector('.poll')?.textContent.includes('winner')", dj::output);
      await(() -> dj.output().contains("→ winner: Funky"), dj::output);

      // a broken line at the end of the file: no current track, the DJ is told once, the next play goes out
      append(history, "<<garbage from a half-written line>>\r\n");
      await(() -> dj.output().contains("skipped (not part of a VirtualDJ entry): <<garbage from a half-written line>>"), dj::output);

      // the node goes away mid-set; a play made meanwhile is queued by the client and delivered after recovery
      restartNode();
      append(history, entry(now - 30, "Ben Howard", "Rivers in Your Mouth"));
      bothSee(ana, ben, nowPlaying("Rivers in Your Mouth"), dj::output);
      bothSee(ana, ben, "!document.querySelector('.away') && document.getElementById('conn').dataset.state === 'live'", dj::output);
      assertTrue(dj.output().contains("reconnecting in"), dj.output());

      dj.type("quit"); // the DJ's laptop restarts mid-set
      assertEquals(0, dj.exit.get(30, TimeUnit.SECONDS), dj.output());
    }
    bothSee(ana, ben, "document.querySelector('.away')?.textContent === 'DJ reconnecting…'", () -> "DJ away shown");

    append(history, entry(now - 5, "Agnes Obel", "Familiar"));
    try (RunningDjClient dj = new RunningDjClient("--server", base, "--history", history.toString(), "--state-dir", state, "--resume", sessionId)) {
      await(() -> dj.output().contains("Resumed as \"DJ Smooth\""), dj::output);
      bothSee(ana, ben, "!document.querySelector('.away')", dj::output);
      bothSee(ana, ben, nowPlaying("Familiar"), dj::output);
      List<String> expected = List.of("Queen of Loneliness", "Sway", "Rivers in Your Mouth", "Familiar");
      // every play once, in order, once the projection caught up (no play lost or doubled by the restarts)
      await(() -> playedTitles(sessionId).size() >= expected.size(), () -> playedTitles(sessionId) + "\n" + dj.output());
      assertEquals(expected, playedTitles(sessionId), dj.output());
    } // end of input: END_SESSION
    bothSee(ana, ben, "document.querySelector('main h2')?.textContent === 'Session ended'", () -> "ended screen");
    ana.screenshot(SHOTS.resolve("session-ended.png"));
    await(() -> getJson("/api/session/" + sessionId + "/recap").path("endedAt").isTextual(), () -> "recap with endedAt");
    ana.click("main a");
    ana.waitFor("document.querySelector('main h2')?.textContent === 'Recap: DJ Smooth'", WAIT, () -> "recap page");
    String table = ana.text("table");
    assertTrue(table.contains("Queen of Loneliness") && table.contains("Familiar"), table);
    ana.screenshot(SHOTS.resolve("recap.png"));
    assertEquals(List.of(), ana.pageErrors, "uncaught errors in Ana's page");
    assertEquals(List.of(), ben.pageErrors, "uncaught errors in Ben's page");
  }
}
