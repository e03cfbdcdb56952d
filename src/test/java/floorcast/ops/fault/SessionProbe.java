package floorcast.ops.fault;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connection without clientId (not counted as a listener, protocol.md §8) that SUBSCRIBEs to a session and
 * collects the snapshot (§4.1): the current track and listener count, as any client would see them.
 */
final class SessionProbe implements AutoCloseable {
  record Snapshot(String nowPlayingTitle, long listenerCount, boolean live) {}

  private final BlockingQueue<JsonNode> inbox;
  private final LiveSocket socket;
  private int requests;

  private SessionProbe(BlockingQueue<JsonNode> inbox, LiveSocket socket) {
    this.inbox = inbox;
    this.socket = socket;
  }

  static SessionProbe open(HttpClient http, int node) throws Exception {
    BlockingQueue<JsonNode> q = new LinkedBlockingQueue<>();
    LiveSocket s =
        LiveSocket.open(http, node, q::add, code -> q.add(LiveSocket.JSON.createObjectNode().put("type", "CLOSED")))
            .get(10, TimeUnit.SECONDS);
    return new SessionProbe(q, s);
  }

  /** The snapshot of {@code sessionId}, or null when no ACK came within {@code timeoutMillis}. */
  Snapshot subscribe(String sessionId, long timeoutMillis) throws InterruptedException {
    String id = "probe-" + sessionId + "-" + (++requests);
    socket.send(
        "{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + sessionId + "\",\"messageId\":\"" + id + "\"}");
    long deadline = System.currentTimeMillis() + timeoutMillis;
    String title = null;
    long listeners = -1;
    boolean ended = false;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) return null;
      JsonNode m = inbox.poll(left, TimeUnit.MILLISECONDS);
      if (m == null) return null;
      String type = m.path("type").asText();
      if (type.equals("CLOSED")) return null;
      if (!sessionId.equals(m.path("sessionId").asText()) && !type.equals("ACK") && !type.equals("NACK")) continue;
      switch (type) {
        case "NOW_PLAYING" -> title = m.path("track").path("title").asText();
        case "LISTENER_COUNT" -> listeners = m.path("count").asLong();
        case "SESSION_ENDED" -> ended = true;
        case "ACK" -> {
          if (m.path("messageId").asText().equals(id)) return new Snapshot(title, listeners, !ended);
        }
        case "NACK" -> {
          if (m.path("messageId").asText().equals(id)) return null;
        }
        default -> {}
      }
    }
  }

  @Override
  public void close() {
    socket.abort();
  }
}
