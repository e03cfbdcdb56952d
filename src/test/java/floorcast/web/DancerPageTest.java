package floorcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The built-in dancer page in a real headless Chromium (clients.md §4) against a scripted WebSocket/REST fixture:
 * what the page sends, and what it shows for what it receives.
 */
@EnabledIf("chromiumInstalled")
class DancerPageTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static DancerFixtureServer server;
  static HeadlessChromium browser;
  static final AtomicLong seq = new AtomicLong(100);

  static boolean chromiumInstalled() {
    return HeadlessChromium.available();
  }

  @BeforeAll
  static void start() throws Exception {
    server = new DancerFixtureServer();
    browser = new HeadlessChromium();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) browser.close();
    if (server != null) server.close();
  }

  @BeforeEach
  void reset() {
    server.received.clear();
    server.refuseUpgrades = false;
    server.script = DancerPageTest::liveSession;
    browser.pageErrors.clear();
  }

  @AfterEach
  void noScriptErrorsNorPolicyViolations() throws Exception {
    assertEquals(List.of(), browser.pageErrors, "uncaught errors in the page");
    assertEquals("[]", browser.evaluate("JSON.stringify(window.__cspViolations || [])").asText(), "Content-Security-Policy violations");
  }

  static final String QUEEN = "{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96,\"key\":\"Am\"}";

  /** A live session: the SUBSCRIBE snapshot of protocol.md §4.1, then ACK for everything. */
  static void liveSession(DancerFixtureServer.Connection c, JsonNode f) {
    if (f.path("type").asText().equals("SUBSCRIBE")) {
      String id = f.path("sessionId").asText();
      c.send("{\"type\":\"SESSIONS_LIST\",\"sessions\":[{\"sessionId\":\"" + id + "\",\"djName\":\"DJ Smooth\",\"startedAt\":\"2026-01-15T20:20:00.000Z\",\"listenerCount\":3}]}");
      c.send("{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + id + "\",\"seq\":" + seq.incrementAndGet() + ",\"djName\":\"DJ Smooth\",\"track\":" + QUEEN + "}");
      c.send("{\"type\":\"LISTENER_COUNT\",\"sessionId\":\"" + id + "\",\"seq\":" + seq.incrementAndGet() + ",\"count\":3}");
      c.send("{\"type\":\"DJ_STATUS\",\"sessionId\":\"" + id + "\",\"seq\":" + seq.incrementAndGet() + ",\"connected\":true}");
    }
    c.ack(f);
  }

  static String id(String suffix) {
    return "pika_1736972400000_" + suffix;
  }

  void open(String sessionId) throws Exception {
    browser.navigate(server.base() + "/live/" + sessionId);
    browser.waitFor("document.querySelector('.np-title')?.textContent === 'Queen of Loneliness'", WAIT, () -> "snapshot shown");
  }

  void awaitFrame(String type, int count) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (server.receivedOf(type).size() < count) {
      if (System.nanoTime() > deadline) throw new AssertionError("no " + type + " #" + count + " in " + server.received);
      Thread.sleep(20);
    }
  }

  @Test
  void subscribesWithClientIdAndShowsTheSnapshot() throws Exception {
    open(id("snap"));
    JsonNode sub = server.receivedOf("SUBSCRIBE").get(0).json();
    assertEquals(id("snap"), sub.path("sessionId").asText());
    assertTrue(sub.path("clientId").asText().matches("client_\\d{13}_[0-9a-z]{8}"), sub.toString());
    assertEquals(0, sub.path("lastSeq").asInt(-1));
    assertFalse(sub.path("messageId").asText().isEmpty());
    assertEquals(sub.path("clientId").asText(), browser.evaluate("localStorage.getItem('pika_client_id')").asText());
    assertTrue(browser.text(".np-artist").contains("Delta Dreambox · 96 BPM · Am"), browser.text(".np-artist"));
    assertTrue(browser.text(".badge").contains("3"));
    assertTrue(browser.text(".dj strong").contains("DJ Smooth"));
  }

  @Test
  void staleSeqIsDroppedAndANewTrackPushesTheOldOneToRecentTracks() throws Exception {
    open(id("seqr"));
    String s = id("seqr");
    server.latest().send("{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + s + "\",\"seq\":5,\"track\":{\"title\":\"Old news\",\"artist\":\"X\"}}");
    server.latest().send("{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + s + "\",\"seq\":" + seq.addAndGet(10) + ",\"track\":{\"title\":\"Sway\",\"artist\":\"Rosie Carney\"}}");
    browser.waitFor("document.querySelector('.np-title')?.textContent === 'Sway'", WAIT, () -> "new track");
    assertTrue(browser.text(".tracks").contains("Queen of Loneliness"));
    assertFalse(browser.evaluate("document.body.textContent.includes('Old news')").asBoolean());
  }

  @Test
  void theTrackPlayingAtPageLoadIsListedOnceAfterTheNextTrack() throws Exception {
    String s = id("once");
    server.history.put(s, "[{\"id\":2,\"artist\":\"Delta Dreambox\",\"title\":\"Queen of Loneliness\",\"playedAt\":\"2026-01-15T20:24:05.000Z\"},"
        + "{\"id\":1,\"artist\":\"Rosie Carney\",\"title\":\"Sway\",\"playedAt\":\"2026-01-15T20:20:05.000Z\"}]");
    open(s);
    browser.waitFor("document.querySelectorAll('.tracks li').length === 1", WAIT, () -> "history without the current track");
    server.latest().send("{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + s + "\",\"seq\":" + seq.addAndGet(5) + ",\"track\":{\"title\":\"Third\",\"artist\":\"X\"}}");
    browser.waitFor("document.querySelector('.np-title')?.textContent === 'Third'", WAIT, () -> "new track");
    assertEquals(2, browser.evaluate("document.querySelectorAll('.tracks li').length").asInt(), browser.text(".tracks"));
  }

  @Test
  void likeCarriesMessageIdAndANackRollsBackAndShowsItsText() throws Exception {
    server.script =
        (c, f) -> {
          if (f.path("type").asText().equals("SEND_LIKE")) c.nack(f, "Rate limit exceeded (max 10/min)");
          else liveSession(c, f);
        };
    open(id("like"));
    browser.click("[data-fid='like-current']");
    awaitFrame("SEND_LIKE", 1);
    JsonNode like = server.receivedOf("SEND_LIKE").get(0).json();
    assertEquals(id("like"), like.path("sessionId").asText());
    assertEquals("Queen of Loneliness", like.path("payload").path("track").path("title").asText());
    assertEquals("Delta Dreambox", like.path("payload").path("track").path("artist").asText());
    assertFalse(like.path("messageId").asText().isEmpty());
    assertFalse(like.path("clientId").asText().isEmpty());
    browser.waitFor("document.getElementById('toasts').textContent.includes('Rate limit exceeded (max 10/min)')", WAIT, () -> "NACK text");
    browser.waitFor("document.querySelector(\"[data-fid='like-current']\").getAttribute('aria-pressed') === 'false'", WAIT, () -> "rolled back");
  }

  @Test
  void theEleventhLikeWithinAMinuteIsHeldBackClientSide() throws Exception {
    String s = id("lim10");
    StringBuilder h = new StringBuilder("[");
    for (int i = 0; i < 11; i++) {
      if (i > 0) h.append(',');
      h.append("{\"id\":").append(i + 1).append(",\"artist\":\"A\",\"title\":\"T").append(i).append("\",\"playedAt\":\"2026-01-15T20:").append(10 + i).append(":00.000Z\"}");
    }
    server.history.put(s, h.append(']').toString());
    open(s);
    browser.waitFor("document.querySelectorAll(\"[data-fid^='like-a::t']\").length === 11", WAIT, () -> "11 past tracks");
    browser.evaluate("[...document.querySelectorAll(\"[data-fid^='like-a::t']\")].map(b => b.getAttribute('data-fid')).forEach(f => document.querySelector(`[data-fid='${f}']`).click()); true");
    awaitFrame("SEND_LIKE", 10);
    browser.waitFor("document.getElementById('toasts').textContent.includes('at most 10 likes per minute')", WAIT, () -> "limit shown");
    assertEquals(10, server.receivedOf("SEND_LIKE").size());
    assertEquals(10, browser.evaluate("document.querySelectorAll(\"[data-fid^='like-a::t'][aria-pressed='true']\").length").asInt());
  }

  @Test
  void likeThenUnlikeSendsRemoveLike() throws Exception {
    open(id("unlk"));
    browser.click("[data-fid='like-current']");
    awaitFrame("SEND_LIKE", 1);
    browser.waitFor("document.querySelector(\"[data-fid='like-current']\").getAttribute('aria-pressed') === 'true'", WAIT, () -> "liked");
    browser.click("[data-fid='like-current']");
    awaitFrame("REMOVE_LIKE", 1);
    assertEquals("Queen of Loneliness", server.receivedOf("REMOVE_LIKE").get(0).json().path("payload").path("track").path("title").asText());
    browser.waitFor("document.querySelector(\"[data-fid='like-current']\").getAttribute('aria-pressed') === 'false'", WAIT, () -> "unliked");
  }

  @Test
  void tempoReTapSendsClear() throws Exception {
    open(id("tmpo"));
    browser.click("[data-fid='tempo-faster']");
    awaitFrame("SEND_TEMPO_REQUEST", 1);
    browser.waitFor("document.querySelector(\"[data-fid='tempo-faster']\").getAttribute('aria-pressed') === 'true'", WAIT, () -> "faster on");
    browser.click("[data-fid='tempo-faster']");
    awaitFrame("SEND_TEMPO_REQUEST", 2);
    List<String> prefs = server.receivedOf("SEND_TEMPO_REQUEST").stream().map(f -> f.json().path("preference").asText()).toList();
    assertEquals(List.of("faster", "clear"), prefs);
    browser.waitFor("document.querySelector(\"[data-fid='tempo-faster']\").getAttribute('aria-pressed') === 'false'", WAIT, () -> "faster off");
  }

  @Test
  void pollVoteAnnouncementAndDjStatusAreShown() throws Exception {
    open(id("poll"));
    String s = id("poll");
    server.latest().send("{\"type\":\"POLL_STARTED\",\"sessionId\":\"" + s + "\",\"seq\":" + seq.incrementAndGet()
        + ",\"pollId\":412,\"question\":\"Next style?\",\"options\":[\"Blues\",\"Lyrical\"],\"endsAt\":\"2099-01-01T00:00:00.000Z\"}");
    browser.waitFor("!!document.querySelector(\"[data-fid='vote-1']\")", WAIT, () -> "poll shown");
    browser.click("[data-fid='vote-1']");
    awaitFrame("VOTE_ON_POLL", 1);
    JsonNode vote = server.receivedOf("VOTE_ON_POLL").get(0).json();
    assertEquals(412, vote.path("pollId").asInt());
    assertEquals(1, vote.path("optionIndex").asInt());
    assertFalse(vote.path("clientId").asText().isEmpty());
    browser.waitFor("document.querySelector('.poll').textContent.includes('Lyrical (your vote)')", WAIT, () -> "own vote");
    server.latest().send("{\"type\":\"POLL_UPDATE\",\"sessionId\":\"" + s + "\",\"seq\":" + seq.incrementAndGet() + ",\"pollId\":412,\"votes\":[3,5],\"totalVotes\":8}");
    browser.waitFor("document.querySelector('.poll').textContent.includes('8 votes')", WAIT, () -> "live tally");
    server.latest().send("{\"type\":\"ANNOUNCEMENT_RECEIVED\",\"sessionId\":\"" + s + "\",\"seq\":" + seq.incrementAndGet()
        + ",\"message\":\"Last dance!\",\"djName\":\"DJ Smooth\",\"timestamp\":\"2026-01-15T23:30:00.000Z\",\"endsAt\":\"2099-01-01T00:00:00.000Z\"}");
    server.latest().send("{\"type\":\"DJ_STATUS\",\"sessionId\":\"" + s + "\",\"seq\":" + seq.incrementAndGet() + ",\"connected\":false}");
    browser.waitFor("document.querySelector('.announce')?.textContent.includes('BOOTH: DJ Smooth')", WAIT, () -> "announcement");
    browser.waitFor("document.querySelector('.away')?.textContent === 'DJ reconnecting…'", WAIT, () -> "DJ away");
    server.latest().send("{\"type\":\"POLL_ENDED\",\"sessionId\":\"" + s + "\",\"seq\":" + seq.incrementAndGet() + ",\"pollId\":412,\"results\":[3,6],\"totalVotes\":9,\"winnerIndex\":1}");
    browser.waitFor("document.querySelector('.poll').textContent.includes('winner')", WAIT, () -> "results");
  }

  @Test
  void reconnectResubscribesWithTheLastAppliedSeq() throws Exception {
    open(id("rcon"));
    long last = seq.get();
    server.latest().drop();
    awaitFrame("SUBSCRIBE", 2);
    assertEquals(last, server.receivedOf("SUBSCRIBE").get(1).json().path("lastSeq").asLong());
  }

  @Test
  void offlineLikesAreFlushedAsBulkAfterResubscribing() throws Exception {
    server.history.put(id("bulk"), "[{\"id\":1042,\"artist\":\"Rosie Carney\",\"title\":\"Sway\",\"playedAt\":\"2026-01-15T20:24:05.000Z\"}]");
    open(id("bulk"));
    browser.waitFor("!!document.querySelector(\"[data-fid^='like-rosie carney::sway']\")", WAIT, () -> "history from REST");
    server.refuseUpgrades = true;
    server.latest().drop();
    browser.waitFor("document.getElementById('conn').dataset.state !== 'live'", WAIT, () -> "offline");
    browser.click("[data-fid^='like-rosie carney::sway']");
    browser.waitFor("document.body.textContent.includes('1 like(s) waiting to be sent')", WAIT, () -> "queued offline");
    int subscribes = server.receivedOf("SUBSCRIBE").size();
    server.refuseUpgrades = false;
    awaitFrame("SEND_BULK_LIKE", 1);
    assertTrue(server.receivedOf("SUBSCRIBE").size() > subscribes, "bulk only after re-subscribing");
    JsonNode bulk = server.receivedOf("SEND_BULK_LIKE").get(0).json();
    assertEquals("Sway", bulk.path("payload").path("tracks").get(0).path("title").asText());
    assertEquals(1, bulk.path("payload").path("tracks").size());
    assertFalse(bulk.path("messageId").asText().isEmpty());
    browser.waitFor("!document.body.textContent.includes('waiting to be sent')", WAIT, () -> "queue emptied after ACK");
  }

  @Test
  void likesAndBulksLeftUnansweredByALostConnectionGoAgainAfterResubscribing() throws Exception {
    java.util.concurrent.atomic.AtomicInteger bulks = new java.util.concurrent.atomic.AtomicInteger();
    server.script =
        (c, f) -> {
          String type = f.path("type").asText();
          // the connection dies after taking the like / the first bulk: no reply ever comes on it
          if (type.equals("SEND_LIKE")) return;
          if (type.equals("SEND_BULK_LIKE") && bulks.incrementAndGet() == 1) return;
          liveSession(c, f);
        };
    open(id("lost"));
    browser.click("[data-fid='like-current']");
    awaitFrame("SEND_LIKE", 1);
    server.latest().drop();
    awaitFrame("SEND_BULK_LIKE", 1);
    assertEquals("Queen of Loneliness", server.receivedOf("SEND_BULK_LIKE").get(0).json().path("payload").path("tracks").get(0).path("title").asText());
    server.latest().drop();
    awaitFrame("SEND_BULK_LIKE", 2);
    assertEquals("Queen of Loneliness", server.receivedOf("SEND_BULK_LIKE").get(1).json().path("payload").path("tracks").get(0).path("title").asText());
    browser.waitFor("!document.body.textContent.includes('waiting to be sent')", WAIT, () -> "queue emptied after the ACK");
    assertEquals("true", browser.evaluate("document.querySelector(\"[data-fid='like-current']\").getAttribute('aria-pressed')").asText());
  }

  @Test
  void endedSessionShowsTheRecap() throws Exception {
    String s = id("done");
    server.recaps.put(s, "{\"sessionId\":\"" + s + "\",\"djName\":\"DJ Smooth\",\"startedAt\":\"2026-01-15T20:20:00.000Z\",\"endedAt\":\"2026-01-16T00:05:12.000Z\","
        + "\"trackCount\":1,\"totalLikes\":3,\"tracks\":[{\"position\":1,\"artist\":\"Delta Dreambox\",\"title\":\"Queen of Loneliness\",\"bpm\":96,\"key\":\"Am\","
        + "\"energy\":null,\"danceability\":null,\"brightness\":null,\"acousticness\":null,\"groove\":null,\"playedAt\":\"2026-01-15T20:24:05.000Z\",\"likes\":3,"
        + "\"tempo\":{\"slower\":1,\"perfect\":9,\"faster\":4}}]}");
    server.script =
        (c, f) -> {
          if (f.path("type").asText().equals("SUBSCRIBE")) c.send("{\"type\":\"SESSION_ENDED\",\"sessionId\":\"" + s + "\"}");
          c.ack(f);
        };
    browser.navigate(server.base() + "/live/" + s);
    browser.waitFor("document.querySelector('main h2')?.textContent === 'Recap: DJ Smooth'", WAIT, () -> "recap");
    assertTrue(browser.text("table").contains("Queen of Loneliness"));
    assertTrue(browser.text("table").contains("✓9"));
  }

  @Test
  void unknownSessionSaysNotFound() throws Exception {
    server.script =
        (c, f) -> {
          if (f.path("type").asText().equals("SUBSCRIBE")) c.send("{\"type\":\"SESSION_ENDED\",\"sessionId\":\"" + f.path("sessionId").asText() + "\"}");
          c.ack(f);
        };
    browser.navigate(server.base() + "/live/" + id("none"));
    browser.waitFor("document.querySelector('main h2')?.textContent === 'Session not found'", WAIT, () -> "not found");
  }

  @Test
  void liveEndShowsTheEndedScreenWithARecapLink() throws Exception {
    open(id("endl"));
    server.latest().send("{\"type\":\"SESSION_ENDED\",\"sessionId\":\"" + id("endl") + "\",\"seq\":" + seq.incrementAndGet() + "}");
    browser.waitFor("document.querySelector('main h2')?.textContent === 'Session ended'", WAIT, () -> "ended screen");
    assertEquals("/live/" + id("endl") + "/recap", browser.evaluate("document.querySelector('main a').getAttribute('href')").asText());
  }

  @Test
  void fitsA360PixelPhoneWithoutHorizontalScrollingAndEveryButtonIsLabelled() throws Exception {
    browser.emulatePhone();
    String s = id("m360");
    server.script =
        (c, f) -> {
          liveSession(c, f);
          if (f.path("type").asText().equals("SUBSCRIBE")) {
            c.send("{\"type\":\"ANNOUNCEMENT_RECEIVED\",\"sessionId\":\"" + s + "\",\"seq\":" + seq.incrementAndGet()
                + ",\"message\":\"Last dance in 10 minutes! Water is free at the bar, and the afterparty is downstairs\",\"djName\":\"DJ Smooth\",\"timestamp\":\"2026-01-15T23:30:00.000Z\",\"endsAt\":\"2099-01-01T00:00:00.000Z\"}");
            c.send("{\"type\":\"POLL_STARTED\",\"sessionId\":\"" + s + "\",\"seq\":" + seq.incrementAndGet()
                + ",\"pollId\":7,\"question\":\"Next style?\",\"options\":[\"Blues\",\"Contemporary\",\"Lyrical\",\"Funky\"],\"endsAt\":\"2099-01-01T00:00:00.000Z\",\"votes\":[3,1,0,5],\"totalVotes\":9,\"hasVoted\":true,\"votedOptionIndex\":3}");
          }
        };
    server.history.put(s, "[{\"id\":1,\"artist\":\"" + "Averyveryverylongartistnamewithoutanyspaces".repeat(3) + "\",\"title\":\"Sway\",\"playedAt\":\"2026-01-15T20:24:05.000Z\"}]");
    open(s);
    browser.waitFor("!!document.querySelector('.poll') && !!document.querySelector('.announce') && !!document.querySelector('.tracks')", WAIT, () -> "all panels");
    assertEquals(360, browser.evaluate("innerWidth").asInt());
    assertTrue(browser.evaluate("document.documentElement.scrollWidth <= innerWidth").asBoolean(), "no horizontal scrolling at 360 px");
    assertTrue(browser.text(".poll").contains("Funky (your vote)"), "snapshot restores the own vote");
    assertEquals(0, browser.evaluate("[...document.querySelectorAll('button')].filter(b => !(b.getAttribute('aria-label') || b.textContent.trim())).length").asInt(), "every button has a name");
    assertEquals(0, browser.evaluate("[...document.querySelectorAll('button')].filter(b => b.getBoundingClientRect().height < 44).length").asInt(), "touch targets ≥ 44 px");
    browser.screenshot(java.nio.file.Path.of("target", "screenshots", "dancer-page-360.png"));
  }

  @Test
  void lobbyJoinsTheOnlyLiveSession() throws Exception {
    String s = id("lobb");
    String entry = "{\"sessionId\":\"" + s + "\",\"djName\":\"DJ Smooth\",\"startedAt\":\"2026-01-15T20:20:00.000Z\",\"currentTrack\":{\"title\":\"Sway\",\"artist\":\"Rosie Carney\"},\"listenerCount\":8}";
    server.activeSessions = "{\"live\":true,\"count\":1,\"sessions\":[" + entry + "]}";
    server.script =
        (c, f) -> {
          if (f.path("type").asText().equals("GET_SESSIONS")) c.send("{\"type\":\"SESSIONS_LIST\",\"sessions\":[" + entry + "]}");
          else liveSession(c, f);
        };
    browser.navigate(server.base() + "/live");
    browser.waitFor("location.pathname === '/live/" + s + "'", WAIT, () -> "auto-join");
    browser.waitFor("document.querySelector('.np-title')?.textContent === 'Queen of Loneliness'", WAIT, () -> "joined");
  }
}
