package floorcast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The tests' WebSocket client (java.net.http, a real socket to {@code /ws}): every whole text message in order with
 * its arrival time, the server's close code and reason, and sends of whole, fragmented and binary messages and of
 * Close frames. Waits fail with an {@link AssertionError} after {@link #WAIT}. For frames java.net.http cannot
 * produce (masking errors, reserved bits, half-open sockets) the transport tests use a raw socket instead.
 */
public final class WebSocketTestClient implements WebSocket.Listener {
  public record Received(String text, long nanos) {}

  public record Closed(int code, String reason) {}

  public static final ObjectMapper JSON = new ObjectMapper();
  public static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** What arrived and has not been taken yet. */
  public final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
  /** Every message taken as JSON ({@link #next()}, {@link #until}, {@link #await}, {@link #drain}), for shape checks. */
  public final List<JsonNode> seen = Collections.synchronizedList(new ArrayList<>());
  /** The server's Close frame (or the socket's failure). */
  public final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  private WebSocketTestClient() {}

  /** Connects to {@code ws://127.0.0.1:<port>/ws}. */
  public static WebSocketTestClient connect(int port) throws Exception {
    WebSocketTestClient client = new WebSocketTestClient();
    client.socket =
        HTTP.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client)
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return client;
  }

  /** Sends one whole text message and waits until it is handed to the socket. */
  public void send(String text) throws Exception {
    sendPart(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** One frame of a text message ({@code last} = FIN); not awaited, for fragmented or oversized messages. */
  public CompletableFuture<WebSocket> sendPart(String text, boolean last) {
    return socket.sendText(text, last);
  }

  /** One whole binary message; not awaited (the server may close because of it). */
  public CompletableFuture<WebSocket> sendBinary(byte[] bytes) {
    return socket.sendBinary(ByteBuffer.wrap(bytes), true);
  }

  /** Our Close frame with this code, awaited. */
  public void sendClose(int code, String reason) throws Exception {
    socket.sendClose(code, reason).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The next message as raw text. */
  public String nextText() throws InterruptedException {
    Received r = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError(
          "no message within " + WAIT + (closed.isDone() ? " (closed: " + closed.getNow(null) + ")" : ""));
    }
    return r.text();
  }

  /** The next message as JSON. */
  public JsonNode next() throws Exception {
    JsonNode frame = JSON.readTree(nextText());
    seen.add(frame);
    return frame;
  }

  /** The first message matching {@code predicate} within {@code timeout}, skipping (but keeping in seen) others. */
  public JsonNode await(String what, Predicate<JsonNode> predicate, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Received r = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (r == null) throw new AssertionError(what + " not received within " + timeout);
      JsonNode frame = JSON.readTree(r.text());
      seen.add(frame);
      if (predicate.test(frame)) return frame;
    }
  }

  /** Messages up to and including the first of {@code type}. */
  public List<JsonNode> until(String type) throws Exception {
    return until(f -> type.equals(f.path("type").asText()));
  }

  /** Messages up to and including the first whose {@code field} equals {@code value} (e.g. an ACK's messageId). */
  public List<JsonNode> until(String field, String value) throws Exception {
    return until(f -> value.equals(f.path(field).asText()));
  }

  /** Messages up to and including the first of {@code type} whose {@code field} equals {@code value}. */
  public List<JsonNode> until(String type, String field, String value) throws Exception {
    return until(f -> type.equals(f.path("type").asText()) && value.equals(f.path(field).asText()));
  }

  private List<JsonNode> until(Predicate<JsonNode> last) throws Exception {
    List<JsonNode> frames = new ArrayList<>();
    while (true) {
      JsonNode frame = next();
      frames.add(frame);
      if (last.test(frame)) return frames;
    }
  }

  /** Everything that arrives within {@code quiet} of the previous message. */
  public List<JsonNode> drain(Duration quiet) throws Exception {
    List<JsonNode> frames = new ArrayList<>();
    Received r;
    while ((r = inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
      JsonNode frame = JSON.readTree(r.text());
      seen.add(frame);
      frames.add(frame);
    }
    return frames;
  }

  public Closed awaitClose() throws Exception {
    return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** A normal close (1000) unless ours was already sent. */
  public void close() {
    if (!socket.isOutputClosed()) socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
  }

  /** Drops the TCP connection without a closing handshake. */
  public void abort() {
    socket.abort();
  }

  public static List<String> types(List<JsonNode> frames) {
    List<String> types = new ArrayList<>();
    for (JsonNode f : frames) types.add(f.path("type").asText());
    return types;
  }

  public static JsonNode last(List<JsonNode> frames) {
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
