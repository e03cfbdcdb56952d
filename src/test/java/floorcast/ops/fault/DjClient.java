package floorcast.ops.fault;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A DJ with a clientId (so it can resume, protocol.md §3.1) that sends commands at a bounded rate, one at a time,
 * each with a unique {@code messageId}: a new track at least 6 s after the previous one, announcements, and 30 s
 * polls that never overlap. Every ACK goes to the ledger. A command without ACK (timeout, lost socket, NACK
 * {@code Internal server error}) is retried with the same {@code messageId} after reconnecting and re-registering
 * (reliability.md §5, protocol.md §15). Every command chosen persists an event when it is accepted.
 */
final class DjClient implements Runnable {
  private record Inbound(int generation, JsonNode message) {}

  private record Command(String messageId, String type, String json, String trackTitle) {}

  /** Longer than the server's ask-timeout (10 s), so a command the server gives up on is seen as its NACK. */
  private static final long REPLY_TIMEOUT_MS = 15_000;
  private static final int POLL_SECONDS = 30;

  final String sessionId;
  private final String clientId;
  private final HttpClient http;
  private final Ledger ledger;
  private final BlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>();
  private int node;
  private int generation;
  private volatile LiveSocket socket;
  private volatile boolean registered;
  private volatile boolean stopCommands;
  private volatile boolean stopped;
  private Command pending;
  private int commandNo;
  private int trackNo;
  private long nextTrackAt;
  private long pollBusyUntil;

  // figures (read after the thread ended or under the monitor)
  private volatile String ackedTrackTitle;
  private volatile int acks;
  private volatile int retries;
  private volatile int internalErrorNacks;
  private volatile int otherNacks;
  private volatile int registrations;
  private volatile String fatal;
  private final java.util.Set<String> otherNackTexts = java.util.concurrent.ConcurrentHashMap.newKeySet();

  DjClient(String sessionId, String clientId, int node, HttpClient http, Ledger ledger) {
    this.sessionId = sessionId;
    this.clientId = clientId;
    this.node = node;
    this.http = http;
    this.ledger = ledger;
  }

  @Override
  public void run() {
    long backoff = 500;
    while (!stopped && (!stopCommands || pending != null)) {
      try {
        if (!registered) {
          if (!register()) {
            node = node % 3 + 1;
            TimeUnit.MILLISECONDS.sleep((long) (backoff * (0.5 + ThreadLocalRandom.current().nextDouble())));
            backoff = Math.min(8_000, backoff * 2);
            continue;
          }
          backoff = 500;
        }
        if (pending == null) {
          if (stopCommands) break;
          // bounded rate: one command every 2–4 s per DJ
          TimeUnit.MILLISECONDS.sleep(2_000 + ThreadLocalRandom.current().nextInt(2_000));
          pending = nextCommand(System.currentTimeMillis());
        }
        socket.send(pending.json);
        JsonNode reply = awaitReply(pending.messageId);
        if (reply == null) {
          retries++;
          dropConnection();
          continue;
        }
        if (reply.path("type").asText().equals("ACK")) {
          ledger.acked(pending.messageId, sessionId, pending.type);
          acks++;
          long now = System.currentTimeMillis();
          if (pending.trackTitle != null) {
            ackedTrackTitle = pending.trackTitle;
            nextTrackAt = now + 6_000;
          }
          if (pending.type.equals("START_POLL")) pollBusyUntil = now + (POLL_SECONDS + 5) * 1000L;
          pending = null;
          continue;
        }
        String code = reply.path("code").asText();
        retries++;
        if (code.equals("internal_error")) {
          internalErrorNacks++;
          TimeUnit.MILLISECONDS.sleep(1_000);
        } else if (code.equals("rate_limited")) {
          TimeUnit.MILLISECONDS.sleep(1_500);
        } else {
          // e.g. unauthorized after a lost DJ role: register again, then retry the same command
          otherNacks++;
          otherNackTexts.add(reply.path("error").asText());
          registered = false;
          TimeUnit.MILLISECONDS.sleep(500);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean register() throws InterruptedException {
    dropConnection();
    int gen = ++generation;
    try {
      socket =
          LiveSocket.open(
                  http,
                  node,
                  m -> inbox.add(new Inbound(gen, m)),
                  code -> inbox.add(new Inbound(gen, LiveSocket.JSON.createObjectNode().put("type", "CLOSED"))))
              .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return false;
    }
    String id = "reg-" + clientId + "-" + gen;
    socket.send(
        "{\"type\":\"REGISTER_SESSION\",\"sessionId\":\""
            + sessionId
            + "\",\"djName\":\"DJ "
            + sessionId
            + "\",\"clientId\":\""
            + clientId
            + "\",\"messageId\":\""
            + id
            + "\"}");
    JsonNode reply = awaitReply(id);
    if (reply == null) return false;
    if (!reply.path("type").asText().equals("ACK")) {
      String error = reply.path("error").asText();
      if (error.equals("Session has ended") || error.equals("Session owned by another DJ")) {
        fatal = "REGISTER_SESSION refused: " + error;
        stopped = true;
      }
      return false;
    }
    registrations++;
    registered = true;
    return true;
  }

  /** The reply (ACK/NACK) for {@code messageId} on the current connection, or null on timeout or close. */
  private JsonNode awaitReply(String messageId) throws InterruptedException {
    long deadline = System.currentTimeMillis() + REPLY_TIMEOUT_MS;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) return null;
      Inbound in = inbox.poll(left, TimeUnit.MILLISECONDS);
      if (in == null) return null;
      if (in.generation != generation) continue;
      String type = in.message.path("type").asText();
      if (type.equals("CLOSED")) {
        registered = false;
        return null;
      }
      if ((type.equals("ACK") || type.equals("NACK")) && in.message.path("messageId").asText().equals(messageId)) {
        return in.message;
      }
    }
  }

  private void dropConnection() {
    registered = false;
    if (socket != null) socket.abort();
    socket = null;
  }

  private Command nextCommand(long now) {
    String id = "cmd-" + sessionId + "-" + (++commandNo) + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
    if (now >= nextTrackAt) {
      String title = "Track " + (++trackNo) + " of " + sessionId;
      return new Command(
          id,
          "BROADCAST_TRACK",
          "{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\""
              + sessionId
              + "\",\"track\":{\"title\":\""
              + title
              + "\",\"artist\":\"Fault Band\",\"bpm\":"
              + (80 + trackNo % 60)
              + "},\"messageId\":\""
              + id
              + "\"}",
          title);
    }
    if (now > pollBusyUntil && ThreadLocalRandom.current().nextBoolean()) {
      return new Command(
          id,
          "START_POLL",
          "{\"type\":\"START_POLL\",\"sessionId\":\""
              + sessionId
              + "\",\"question\":\"Next style "
              + commandNo
              + "?\",\"options\":[\"Blues\",\"Lyrical\",\"Funky\"],\"durationSeconds\":"
              + POLL_SECONDS
              + ",\"messageId\":\""
              + id
              + "\"}",
          null);
    }
    return new Command(
        id,
        "SEND_ANNOUNCEMENT",
        "{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\""
            + sessionId
            + "\",\"message\":\"Announcement "
            + commandNo
            + "\",\"durationSeconds\":120,\"messageId\":\""
            + id
            + "\"}",
        null);
  }

  /** No new commands from now on; the pending one is still retried until ACKed. */
  void stopCommands() {
    stopCommands = true;
  }

  void stop() {
    stopped = true;
  }

  void closeSocket() {
    LiveSocket s = socket;
    if (s != null) s.abort();
  }

  String ackedTrackTitle() {
    return ackedTrackTitle;
  }

  int acks() {
    return acks;
  }

  int retries() {
    return retries;
  }

  int internalErrorNacks() {
    return internalErrorNacks;
  }

  int otherNacks() {
    return otherNacks;
  }

  java.util.Set<String> otherNackTexts() {
    return otherNackTexts;
  }

  int registrations() {
    return registrations;
  }

  String fatal() {
    return fatal;
  }

  boolean registered() {
    return registered;
  }
}
