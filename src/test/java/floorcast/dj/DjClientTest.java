package floorcast.dj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole command-line client ({@code floorcast dj}) against a scripted server: history file in, console in. */
class DjClientTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  static String entry(long t, String artist, String title) {
    return "#EXTVDJ:<lastplaytime>" + t + "</lastplaytime><artist>" + artist + "</artist><title>" + title + "</title>\r\n"
        + "C:\\Music\\" + title + ".mp3\r\n";
  }

  static void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  /** Types {@code status}, waits for its answer and tells whether it listed no unacknowledged command. */
  static boolean statusShowsNothingPending(RunningDjClient dj) {
    String marker = "Unacknowledged commands: ";
    int answers = dj.output().split(marker, -1).length;
    try {
      dj.type("status");
    } catch (Exception e) {
      throw new AssertionError("console closed", e);
    }
    Await.until(WAIT, () -> dj.output().split(marker, -1).length > answers, dj::output);
    String out = dj.output();
    return out.startsWith(marker + "none", out.lastIndexOf(marker));
  }

  static List<String> broadcastTitles(ScriptedDjServer server) {
    return server.receivedOf("BROADCAST_TRACK").stream().map(f -> f.json().path("track").path("title").asText()).toList();
  }

  /** ACK everything; answer START_POLL like a server (POLL_STARTED with an id). */
  static void serverLike(ScriptedDjServer.Connection c, JsonNode f) {
    ScriptedDjServer.acknowledgeAll(c, f);
    if (f.path("type").asText().equals("START_POLL")) {
      c.send("{\"type\":\"POLL_STARTED\",\"sessionId\":\"" + f.path("sessionId").asText() + "\",\"seq\":" + c.nextSeq()
          + ",\"pollId\":412,\"question\":\"" + f.path("question").asText() + "\",\"options\":[\"Blues\",\"Funky\"]}");
    }
  }

  @Test
  void aSetFromHistoryFileAndConsoleToEnd() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    Path history = dir.resolve("History").resolve("2026-11-23.m3u");
    Files.createDirectories(history.getParent());
    Files.writeString(history, "\uFEFF#EXTM3U\r\n" + entry(now - 200, "Delta Dreambox", "Queen of Loneliness &amp; more"), StandardCharsets.UTF_8);
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("Documents").resolve("VirtualDJ"));
    Files.writeString(home.resolve("Documents").resolve("VirtualDJ").resolve("database.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VirtualDJ_Database Version=\"2024\">\n"
            + " <Song FilePath=\"C:\\Music\\Queen of Loneliness &amp;amp; more.mp3\" FileSize=\"1\">\n"
            + "  <Tags Author=\"Delta Dreambox\" Title=\"Queen\" />\n  <Scan Version=\"801\" Bpm=\"0.625000\" Key=\"Am\" />\n </Song>\n"
            + "</VirtualDJ_Database>\n", StandardCharsets.UTF_8);
    try (ScriptedDjServer server = new ScriptedDjServer(DjClientTest::serverLike);
        RunningDjClient dj = new RunningDjClient(Map.of("HOME", home.toString()), "--server", server.wsUri().toString().replace("ws://", "http://").replace("/ws", ""),
            "--name", "DJ Test", "--history", history.getParent().toString(), "--state-dir", dir.resolve("state").toString())) {
      Await.until(WAIT, () -> broadcastTitles(server).size() == 1, dj::output);
      assertEquals(List.of("Queen of Loneliness & more"), broadcastTitles(server), "current track sent, entities decoded");
      JsonNode first = server.receivedOf("BROADCAST_TRACK").get(0).json().path("track");
      assertEquals(96.0, first.path("bpm").asDouble(), "BPM = 60 / 0.625 from database.xml");
      assertEquals("Am", first.path("key").asText());
      JsonNode reg = server.receivedOf("REGISTER_SESSION").get(0).json();
      String sessionId = reg.path("sessionId").asText();
      assertTrue(sessionId.matches("pika_\\d{13}_[0-9a-z]+"), sessionId);
      assertTrue(dj.output().contains("Join link: " + server.wsUri().toString().replace("ws://", "http://").replace("/ws", "") + "/live/" + sessionId), dj.output());
      assertEquals(Files.readString(dir.resolve("state").resolve("client-id")).strip(), reg.path("clientId").asText());

      // two new plays inside the 5 s window: the newer replaces the waiting one
      append(history, entry(now - 10, "Rosie Carney", "Sway"));
      Await.until(WAIT, () -> dj.output().contains("Waiting for the 5 s window: Rosie Carney – Sway"), dj::output);
      append(history, entry(now - 5, "Third", "Track"));
      Await.until(WAIT, () -> broadcastTitles(server).size() == 2, dj::output);
      assertEquals(List.of("Queen of Loneliness & more", "Track"), broadcastTitles(server));
      List<ScriptedDjServer.Frame> tracks = server.receivedOf("BROADCAST_TRACK");
      assertTrue(tracks.get(1).atMillis() - tracks.get(0).atMillis() >= 4_900, "never two broadcasts < 5 s apart");

      dj.type("announce Water at the bar --duration 60");
      dj.type("poll Next style? | Blues | Funky");
      Await.until(WAIT, () -> dj.output().contains("Poll #412 started"), dj::output);
      dj.type("endpoll");
      Await.until(WAIT, () -> server.receivedOf("END_POLL").size() == 1, dj::output);
      JsonNode announce = server.receivedOf("SEND_ANNOUNCEMENT").get(0).json();
      assertEquals("Water at the bar", announce.path("message").asText());
      assertEquals(60, announce.path("durationSeconds").asInt());
      JsonNode poll = server.receivedOf("START_POLL").get(0).json();
      assertEquals("Next style?", poll.path("question").asText());
      assertEquals(2, poll.path("options").size());
      assertEquals(412, server.receivedOf("END_POLL").get(0).json().path("pollId").asInt());

      // the server has END_POLL, but its ACK may still be on the way to the client: ask until the status shows it
      Await.until(WAIT, () -> statusShowsNothingPending(dj), dj::output);
      dj.close(); // end of input ends the set
      assertEquals(0, dj.exit.get(30, TimeUnit.SECONDS));
      assertEquals(1, server.receivedOf("END_SESSION").size());
      assertTrue(dj.output().contains("Set ended on the server."), dj.output());
    }
  }

  @Test
  void restartMidSetWithResumeFlushesTheSpoolWithTheSameIds() throws Exception {
    Path history = dir.resolve("h.m3u");
    Files.writeString(history, "#EXTM3U\n", StandardCharsets.UTF_8);
    String stateDir = dir.resolve("state").toString();
    String sessionId;
    String pollMessageId;
    String clientId;
    // first run: the server never answers START_POLL; the DJ quits without ending the set
    ScriptedDjServer.Script silentOnPolls =
        (c, f) -> {
          if (!f.path("type").asText().equals("START_POLL")) ScriptedDjServer.acknowledgeAll(c, f);
        };
    try (ScriptedDjServer first = new ScriptedDjServer(silentOnPolls);
        RunningDjClient dj = new RunningDjClient("--server", first.wsUri().toString().replace("ws://", "http://").replace("/ws", ""),
            "--history", history.toString(), "--state-dir", stateDir)) {
      Await.until(WAIT, () -> first.receivedOf("REGISTER_SESSION").size() == 1, dj::output);
      dj.type("poll Faster? | yes | no --duration 60");
      Await.until(WAIT, () -> first.receivedOf("START_POLL").size() == 1, dj::output);
      JsonNode reg = first.receivedOf("REGISTER_SESSION").get(0).json();
      sessionId = reg.path("sessionId").asText();
      clientId = reg.path("clientId").asText();
      pollMessageId = first.receivedOf("START_POLL").get(0).messageId();
      dj.type("quit");
      assertEquals(0, dj.exit.get(30, TimeUnit.SECONDS));
      assertEquals(0, first.receivedOf("END_SESSION").size(), "quit does not end the set");
      assertTrue(dj.output().contains("--resume " + sessionId), dj.output());
    }
    // second run: resumed, same client id, the spooled poll goes out again with its original id
    try (ScriptedDjServer second = new ScriptedDjServer(ScriptedDjServer::acknowledgeAll);
        RunningDjClient dj = new RunningDjClient("--server", second.wsUri().toString().replace("ws://", "http://").replace("/ws", ""),
            "--history", history.toString(), "--state-dir", stateDir, "--resume", sessionId)) {
      Await.until(WAIT, () -> second.receivedOf("START_POLL").size() == 1, dj::output);
      JsonNode reg = second.receivedOf("REGISTER_SESSION").get(0).json();
      assertEquals(sessionId, reg.path("sessionId").asText());
      assertEquals(clientId, reg.path("clientId").asText());
      assertEquals(pollMessageId, second.receivedOf("START_POLL").get(0).messageId());
      assertTrue(dj.output().contains("1 unsent command(s) from an earlier run"), dj.output());
      dj.type("end");
      assertEquals(0, dj.exit.get(30, TimeUnit.SECONDS));
      assertEquals(1, second.receivedOf("END_SESSION").size());
    }
  }
}
