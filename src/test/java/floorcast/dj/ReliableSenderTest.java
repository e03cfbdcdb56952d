package floorcast.dj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJ client's delivery policy (clients.md §5) against a real WebSocket server that ACKs/NACKs per script.
 * Timings are shortened ({@link DjHarness#FAST}); the rules are the same.
 */
class ReliableSenderTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path state;

  /** Counts frames per messageId so a script can answer the n-th transmission differently. */
  static final class Transmissions {
    final Map<String, AtomicInteger> byId = new ConcurrentHashMap<>();

    int next(JsonNode frame) {
      return byId.computeIfAbsent(frame.path("messageId").asText(), k -> new AtomicInteger()).incrementAndGet();
    }
  }

  @Test
  void registrationCarriesSessionNameClientIdVersionAndMessageId() throws Exception {
    try (ScriptedDjServer server = new ScriptedDjServer(ScriptedDjServer::acknowledgeAll);
        DjHarness dj = new DjHarness(server.wsUri(), state, "pika_1736972400000_reg", "pk_dj_0123456789abcdef", DjHarness.FAST)) {
      dj.link.start();
      Await.until(WAIT, dj.link::isRegistered, () -> "registered");
      JsonNode reg = server.receivedOf("REGISTER_SESSION").get(0).json();
      assertEquals("pika_1736972400000_reg", reg.path("sessionId").asText());
      assertEquals("DJ Test", reg.path("djName").asText());
      assertEquals("pk_dj_0123456789abcdef", reg.path("token").asText());
      assertEquals("client_1736970000000_testdj", reg.path("clientId").asText());
      assertEquals("0.3.0", reg.path("version").asText());
      assertTrue(reg.path("messageId").asText().matches("msg_\\d+_[0-9a-z]{7}"), reg.toString());
      assertEquals("SESSION_REGISTERED", dj.feedback.get(0).path("type").asText());
    }
  }

  @Test
  void commandsAreDeliveredInOrderEachAfterTheAckOfThePrevious() throws Exception {
    try (ScriptedDjServer server = new ScriptedDjServer(ScriptedDjServer::acknowledgeAll);
        DjHarness dj = new DjHarness(server.wsUri(), state, "pika_1736972400000_ord", "", DjHarness.FAST)) {
      dj.link.start();
      String a = dj.sender.submit(dj.command("SEND_ANNOUNCEMENT").put("message", "one"));
      String b = dj.sender.submit(dj.command("CANCEL_ANNOUNCEMENT"));
      String c = dj.sender.submit(dj.command("SEND_ANNOUNCEMENT").put("message", "two"));
      assertTrue(dj.sender.outcome(c).get(20, TimeUnit.SECONDS));
      List<String> ids = server.receivedWhere(f -> !f.type().equals("REGISTER_SESSION")).stream().map(ScriptedDjServer.Frame::messageId).toList();
      assertEquals(List.of(a, b, c), ids);
      assertEquals(List.of(), dj.pending());
    }
  }

  @Test
  void noAckWithinTheTimeoutResendsTheSameMessageId() throws Exception {
    Transmissions tx = new Transmissions();
    ScriptedDjServer.Script script =
        (c, f) -> {
          if (f.path("type").asText().equals("START_POLL") && tx.next(f) == 1) return; // swallow the first one
          ScriptedDjServer.acknowledgeAll(c, f);
        };
    try (ScriptedDjServer server = new ScriptedDjServer(script);
        DjHarness dj = new DjHarness(server.wsUri(), state, "pika_1736972400000_tmo", "", DjHarness.FAST)) {
      dj.link.start();
      String id = dj.sender.submit(dj.command("START_POLL").put("question", "Q"));
      assertTrue(dj.sender.outcome(id).get(20, TimeUnit.SECONDS));
      List<ScriptedDjServer.Frame> polls = server.receivedOf("START_POLL");
      assertEquals(2, polls.size());
      assertEquals(id, polls.get(0).messageId());
      assertEquals(id, polls.get(1).messageId());
      assertTrue(polls.get(1).atMillis() - polls.get(0).atMillis() >= DjHarness.FAST.ackTimeoutMillis() - 50);
    }
  }

  @Test
  void rateLimitNackIsResentOnceTheGapSinceTheLastAcceptedBroadcastHasPassed() throws Exception {
    Transmissions tx = new Transmissions();
    DeliveryTimings timings = new DeliveryTimings(5_000, 1_500, 20, 200, 2_000);
    ScriptedDjServer.Script script =
        (c, f) -> {
          if (f.path("track").path("title").asText().equals("Second") && tx.next(f) == 1) {
            c.nack(f, "Rate limit exceeded (wait 5s)");
            return;
          }
          ScriptedDjServer.acknowledgeAll(c, f);
        };
    try (ScriptedDjServer server = new ScriptedDjServer(script);
        DjHarness dj = new DjHarness(server.wsUri(), state, "pika_1736972400000_rl5", "", timings)) {
      dj.link.start();
      String first = dj.sender.submit(dj.track("A", "First"));
      String second = dj.sender.submit(dj.track("B", "Second"));
      assertTrue(dj.sender.outcome(second).get(20, TimeUnit.SECONDS));
      long firstAcked = server.sent.stream().filter(f -> f.messageId().equals(first)).findFirst().orElseThrow().atMillis();
      List<ScriptedDjServer.Frame> seconds = server.receivedWhere(f -> f.messageId().equals(second));
      assertEquals(2, seconds.size());
      assertTrue(seconds.get(0).atMillis() - firstAcked >= timings.broadcastGapMillis() - 50, "client-side gap between broadcasts");
      assertTrue(seconds.get(1).atMillis() - firstAcked >= timings.broadcastGapMillis() - 50, "resend after the gap");
      assertTrue(dj.refused.isEmpty(), dj.refused.toString());
    }
  }

  @Test
  void internalServerErrorIsRetriedWithBackoffAndTheSameId() throws Exception {
    Transmissions tx = new Transmissions();
    ScriptedDjServer.Script script =
        (c, f) -> {
          if (f.path("type").asText().equals("SEND_ANNOUNCEMENT") && tx.next(f) <= 2) {
            c.nack(f, "Internal server error");
            return;
          }
          ScriptedDjServer.acknowledgeAll(c, f);
        };
    try (ScriptedDjServer server = new ScriptedDjServer(script);
        DjHarness dj = new DjHarness(server.wsUri(), state, "pika_1736972400000_ise", "", DjHarness.FAST)) {
      dj.link.start();
      String id = dj.sender.submit(dj.command("SEND_ANNOUNCEMENT").put("message", "hi"));
      String next = dj.sender.submit(dj.command("CANCEL_ANNOUNCEMENT"));
      assertTrue(dj.sender.outcome(next).get(20, TimeUnit.SECONDS));
      List<ScriptedDjServer.Frame> sends = server.receivedWhere(f -> f.messageId().equals(id));
      assertEquals(3, sends.size());
      assertTrue(sends.get(1).atMillis() - sends.get(0).atMillis() >= DjHarness.FAST.retryBaseMillis() / 2 - 50);
      long cancelAt = server.receivedOf("CANCEL_ANNOUNCEMENT").get(0).atMillis();
      assertTrue(cancelAt >= sends.get(2).atMillis(), "later commands wait for the retried one");
    }
  }

  @Test
  void otherNacksAreReportedAndDroppedAndTheNextCommandGoes() throws Exception {
    ScriptedDjServer.Script script =
        (c, f) -> {
          if (f.path("type").asText().equals("END_POLL")) c.nack(f, "Poll not found");
          else ScriptedDjServer.acknowledgeAll(c, f);
        };
    try (ScriptedDjServer server = new ScriptedDjServer(script);
        DjHarness dj = new DjHarness(server.wsUri(), state, "pika_1736972400000_nck", "", DjHarness.FAST)) {
      dj.link.start();
      String endPoll = dj.sender.submit(dj.command("END_POLL").put("pollId", 412));
      String next = dj.sender.submit(dj.command("CANCEL_ANNOUNCEMENT"));
      assertFalse(dj.sender.outcome(endPoll).get(20, TimeUnit.SECONDS));
      assertTrue(dj.sender.outcome(next).get(20, TimeUnit.SECONDS));
      assertEquals(List.of("END_POLL: Poll not found"), dj.refused);
      assertEquals(1, server.receivedOf("END_POLL").size());
    }
  }

  @Test
  void unacknowledgedCommandsAreResentInOrderAfterReRegistration() throws Exception {
    ScriptedDjServer.Script script =
        (c, f) -> {
          String type = f.path("type").asText();
          if (c.index == 0 && type.equals("SEND_ANNOUNCEMENT")) {
            c.drop(); // connection lost before the ACK: close 1011
            return;
          }
          ScriptedDjServer.acknowledgeAll(c, f);
        };
    try (ScriptedDjServer server = new ScriptedDjServer(script);
        DjHarness dj = new DjHarness(server.wsUri(), state, "pika_1736972400000_rec", "", DjHarness.FAST)) {
      dj.link.start();
      String track = dj.sender.submit(dj.track("A", "T"));
      String announce = dj.sender.submit(dj.command("SEND_ANNOUNCEMENT").put("message", "m"));
      String cancel = dj.sender.submit(dj.command("CANCEL_ANNOUNCEMENT"));
      assertTrue(dj.sender.outcome(cancel).get(20, TimeUnit.SECONDS));
      List<String> second = server.receivedWhere(f -> f.connection() == 1).stream().map(ScriptedDjServer.Frame::type).toList();
      assertEquals(List.of("REGISTER_SESSION", "SEND_ANNOUNCEMENT", "CANCEL_ANNOUNCEMENT"), second);
      assertEquals(announce, server.receivedWhere(f -> f.connection() == 1).get(1).messageId(), "same id after reconnect");
      assertEquals(1, server.receivedWhere(f -> f.messageId().equals(track)).size(), "acknowledged track not resent");
    }
  }

  @Test
  void spooledCommandsSurviveAClientRestartAndAreFlushedInOrder() throws Exception {
    String sessionId = "pika_1736972400000_spl";
    List<String> ids;
    // first run: the server is unreachable (nothing listens on port 9 of localhost)
    try (DjHarness offline = new DjHarness(java.net.URI.create("ws://127.0.0.1:9/ws"), state, sessionId, "", DjHarness.FAST)) {
      offline.link.start();
      ids =
          List.of(
              offline.sender.submit(offline.track("A", "One")),
              offline.sender.submit(offline.command("SEND_ANNOUNCEMENT").put("message", "offline")),
              offline.sender.submit(offline.track("B", "Two")));
      Await.until(WAIT, () -> new CommandSpool(state, sessionId).load().size() == 3, () -> "3 spooled commands");
    }
    // second run, same state directory and session: flush after registration, in order, one per ACK
    try (ScriptedDjServer server = new ScriptedDjServer(ScriptedDjServer::acknowledgeAll);
        DjHarness restarted = new DjHarness(server.wsUri(), state, sessionId, "", DjHarness.FAST)) {
      assertEquals(3, restarted.sender.recoveredCount());
      restarted.link.start();
      Await.until(WAIT, () -> server.received.size() == 4 && server.sent.size() >= 5, () -> "flushed: " + server.received);
      List<ScriptedDjServer.Frame> cmds = server.receivedWhere(f -> !f.type().equals("REGISTER_SESSION"));
      assertEquals(ids, cmds.stream().map(ScriptedDjServer.Frame::messageId).toList());
      for (int i = 1; i < cmds.size(); i++) {
        String previous = cmds.get(i - 1).messageId();
        long previousAcked = server.sent.stream().filter(f -> f.messageId().equals(previous)).findFirst().orElseThrow().atMillis();
        assertTrue(cmds.get(i).atMillis() >= previousAcked, "paced: each waits for the previous ACK");
      }
      long firstTrack = cmds.get(0).atMillis();
      assertTrue(cmds.get(2).atMillis() - firstTrack >= DjHarness.FAST.broadcastGapMillis() - 50, "tracks stay apart");
      Await.until(WAIT, () -> new CommandSpool(state, sessionId).load().isEmpty(), () -> "spool emptied");
    }
  }

  @Test
  void sessionOwnedByAnotherDjEndsTheClientWithAnError() throws Exception {
    ScriptedDjServer.Script script =
        (c, f) -> {
          if (f.path("type").asText().equals("REGISTER_SESSION")) c.nack(f, "Session owned by another DJ");
        };
    try (ScriptedDjServer server = new ScriptedDjServer(script);
        DjHarness dj = new DjHarness(server.wsUri(), state, "pika_1736972400000_own", "", DjHarness.FAST)) {
      dj.link.start();
      DjLink.End end = dj.link.ended().get(20, TimeUnit.SECONDS);
      assertEquals(DjLink.EndKind.REJECTED, end.kind());
      assertEquals("Session owned by another DJ", end.detail());
      assertEquals(1, server.connectionCount(), "no reconnect after a refusal");
    }
  }

  @Test
  void closeWith1000EndsTheSessionWithoutReconnecting() throws Exception {
    ScriptedDjServer.Script script =
        (c, f) -> {
          ScriptedDjServer.acknowledgeAll(c, f);
          if (f.path("type").asText().equals("CANCEL_ANNOUNCEMENT")) c.closeNormally();
        };
    try (ScriptedDjServer server = new ScriptedDjServer(script);
        DjHarness dj = new DjHarness(server.wsUri(), state, "pika_1736972400000_cls", "", DjHarness.FAST)) {
      dj.link.start();
      dj.sender.submit(dj.command("CANCEL_ANNOUNCEMENT"));
      DjLink.End end = dj.link.ended().get(20, TimeUnit.SECONDS);
      assertEquals(DjLink.EndKind.SESSION_OVER, end.kind());
      assertEquals(1, server.connectionCount());
    }
  }

  @Test
  void endSetSendsEndSessionAndWaitsForItsAck() throws Exception {
    try (ScriptedDjServer server = new ScriptedDjServer(ScriptedDjServer::acknowledgeAll);
        DjHarness dj = new DjHarness(server.wsUri(), state, "pika_1736972400000_end", "", DjHarness.FAST)) {
      dj.link.start();
      Await.until(WAIT, dj.link::isRegistered, () -> "registered");
      assertTrue(dj.link.endSet(Duration.ofSeconds(5)));
      JsonNode end = server.receivedOf("END_SESSION").get(0).json();
      assertEquals("pika_1736972400000_end", end.path("sessionId").asText());
      assertFalse(end.path("messageId").asText().isEmpty());
      assertEquals(DjLink.EndKind.SET_ENDED, dj.link.ended().get(5, TimeUnit.SECONDS).kind());
      assertTrue(new CommandSpool(state, "pika_1736972400000_end").load().isEmpty());
    }
  }

  @Test
  void endSetWithoutAnAckWithdrawsEndSessionFromTheSpool() throws Exception {
    try (DjHarness dj = new DjHarness(java.net.URI.create("ws://127.0.0.1:9/ws"), state, "pika_1736972400000_eno", "", DjHarness.FAST)) {
      dj.link.start();
      dj.sender.submit(dj.command("SEND_ANNOUNCEMENT").put("message", "kept"));
      assertFalse(dj.link.endSet(Duration.ofMillis(500)));
      Await.until(WAIT, () -> new CommandSpool(state, "pika_1736972400000_eno").load().size() == 1, () -> "only the announcement left");
      assertTrue(new CommandSpool(state, "pika_1736972400000_eno").load().get(0).contains("SEND_ANNOUNCEMENT"));
    }
  }
}
