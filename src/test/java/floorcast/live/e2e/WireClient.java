package floorcast.live.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (java.net.http) for end-to-end tests: every whole text message with its arrival time,
 * and the server's close code and reason.
 */
final class WireClient implements WebSocket.Listener {
  record Received(String text, long nanos) {}

  record Closed(int code, String reason) {}

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration WAIT = Duration.ofSeconds(30);

  final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
  /** Every message taken through {@link #next()}, for whole-conversation shape and seq checks. */
  final List<JsonNode> seen = java.util.Collections.synchronizedList(new ArrayList<>());
  final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  static WireClient connect(int port) throws Exception {
    WireClient client = new WireClient();
    client.socket =
        HTTP.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client)
            .get(30, TimeUnit.SECONDS);
    return client;
  }

  void send(String text) throws Exception {
    socket.sendText(text, true).get(20, TimeUnit.SECONDS);
  }

  void sendBinary(byte[] bytes) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).get(20, TimeUnit.SECONDS);
  }

  /** The next message as raw text; fails after 30 s. */
  String nextText() throws InterruptedException {
    Received r = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) throw new AssertionError("no message within " + WAIT + (closed.isDone() ? " (closed: " + closed.getNow(null) + ")" : ""));
    return r.text();
  }

  JsonNode next() throws Exception {
    JsonNode frame = JSON.readTree(nextText());
    seen.add(frame);
    return frame;
  }

  /** Messages up to and including the first of {@code type}. */
  List<JsonNode> until(String type) throws Exception {
    List<JsonNode> frames = new ArrayList<>();
    while (true) {
      JsonNode frame = next();
      frames.add(frame);
      if (type.equals(frame.path("type").asText())) return frames;
    }
  }

  /** Messages up to and including the first whose {@code field} equals {@code value} (e.g. the ACK/NACK of a messageId). */
  List<JsonNode> until(String field, String value) throws Exception {
    List<JsonNode> frames = new ArrayList<>();
    while (true) {
      JsonNode frame = next();
      frames.add(frame);
      if (value.equals(frame.path(field).asText())) return frames;
    }
  }

  /** Messages up to and including the first of {@code type} whose {@code field} equals {@code value}. */
  List<JsonNode> until(String type, String field, String value) throws Exception {
    List<JsonNode> frames = new ArrayList<>();
    while (true) {
      JsonNode frame = next();
      frames.add(frame);
      if (type.equals(frame.path("type").asText()) && value.equals(frame.path(field).asText())) return frames;
    }
  }

  /** Everything that arrives within {@code quiet} of the previous message. */
  List<JsonNode> drain(Duration quiet) throws Exception {
    List<JsonNode> frames = new ArrayList<>();
    Received r;
    while ((r = inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
      JsonNode frame = JSON.readTree(r.text());
      seen.add(frame);
      frames.add(frame);
    }
    return frames;
  }

  Closed awaitClose() throws Exception {
    return closed.get(30, TimeUnit.SECONDS);
  }

  void close() {
    if (!socket.isOutputClosed()) socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
  }

  void abort() {
    socket.abort();
  }

  static List<String> types(List<JsonNode> frames) {
    List<String> types = new ArrayList<>();
    for (JsonNode f : frames) types.add(f.path("type").asText());
    return types;
  }

  static JsonNode last(List<JsonNode> frames) {
    return frames.get(frames.size() - 1);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      inbox.add(new Received(partial.toString(), System.nanoTime()));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }
}
