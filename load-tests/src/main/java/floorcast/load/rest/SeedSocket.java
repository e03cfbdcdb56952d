package floorcast.load.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One protocol client connection of the REST seeder (JDK WebSocket client). Every message it sends carries a
 * {@code messageId}; {@link #send} completes with the server's ACK (true) or NACK (false, the reason is kept in
 * {@link #lastNack}). Server pushes (NOW_PLAYING, LISTENER_COUNT, …) are ignored.
 */
final class SeedSocket implements WebSocket.Listener {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, CompletableFuture<Boolean>> pending = new ConcurrentHashMap<>();
  private final StringBuilder partial = new StringBuilder();
  private final AtomicLong ids = new AtomicLong();
  private final String name;
  private WebSocket socket;
  private CompletableFuture<Void> sending = CompletableFuture.completedFuture(null);
  volatile String lastNack;

  private SeedSocket(String name) {
    this.name = name;
  }

  static SeedSocket open(HttpClient http, String server, String name) {
    SeedSocket s = new SeedSocket(name);
    s.socket =
        http.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(15))
            .buildAsync(URI.create("ws://" + server + "/ws"), s)
            .orTimeout(30, TimeUnit.SECONDS)
            .join();
    return s;
  }

  /** Sends {@code message} with a fresh messageId; completes with true on ACK, false on NACK. */
  synchronized CompletableFuture<Boolean> send(ObjectNode message) {
    String id = name + "_" + ids.incrementAndGet();
    message.put("messageId", id);
    CompletableFuture<Boolean> reply = new CompletableFuture<>();
    pending.put(id, reply);
    String text = message.toString();
    // the JDK client allows one outstanding sendText at a time: chain them
    sending = sending.thenCompose(x -> socket.sendText(text, true)).thenApply(ws -> null);
    sending.exceptionally(e -> {
      reply.completeExceptionally(e);
      return null;
    });
    return reply.orTimeout(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Sends and waits; a NACK or timeout is an error here (the seed must be complete to be realistic). */
  void sendOk(ObjectNode message) {
    if (!send(message).join()) throw new IllegalStateException(name + ": NACK " + lastNack + " for " + message);
  }

  void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      socket.abort();
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      handle(text);
    }
    ws.request(1);
    return null;
  }

  private void handle(String text) {
    JsonNode msg;
    try {
      msg = JSON.readTree(text);
    } catch (Exception e) {
      return;
    }
    String type = msg.path("type").asText();
    if (!type.equals("ACK") && !type.equals("NACK")) return;
    CompletableFuture<Boolean> reply = pending.remove(msg.path("messageId").asText());
    if (reply == null) return;
    if (type.equals("NACK")) lastNack = msg.path("error").asText();
    reply.complete(type.equals("ACK"));
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    IllegalStateException closed = new IllegalStateException(name + ": closed " + statusCode + " " + reason);
    pending.values().forEach(f -> f.completeExceptionally(closed));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    pending.values().forEach(f -> f.completeExceptionally(error));
  }
}
