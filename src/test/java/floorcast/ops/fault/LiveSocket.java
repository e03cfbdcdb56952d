package floorcast.ops.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One client WebSocket (java.net.http) to a node's {@code /ws}: parsed JSON frames go to {@code onMessage}, the
 * close (code, or -1 for an error) to {@code onClosed}, once. Sends are chained because java.net.http allows only one
 * outstanding send per socket.
 */
final class LiveSocket implements WebSocket.Listener {
  interface Closed {
    void closed(int code);
  }

  static final ObjectMapper JSON = new ObjectMapper();

  private final Consumer<JsonNode> onMessage;
  private final Closed onClosed;
  private final StringBuilder partial = new StringBuilder();
  private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
  private volatile WebSocket socket;
  private boolean closedReported;

  private LiveSocket(Consumer<JsonNode> onMessage, Closed onClosed) {
    this.onMessage = onMessage;
    this.onClosed = onClosed;
  }

  static CompletableFuture<LiveSocket> open(
      HttpClient http, int node, Consumer<JsonNode> onMessage, Closed onClosed) {
    LiveSocket s = new LiveSocket(onMessage, onClosed);
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + NodeProcess.httpPort(node) + "/ws"), s)
        .thenApply(
            ws -> {
              s.socket = ws;
              return s;
            });
  }

  synchronized void send(String text) {
    WebSocket ws = socket;
    if (ws == null) return;
    sends =
        sends
            .handle((ok, err) -> null)
            .thenCompose(ignored -> ws.sendText(text, true))
            .exceptionally(
                err -> {
                  abort();
                  return null;
                });
  }

  /** Drops the connection without a close handshake (the client side of a lost network). */
  void abort() {
    WebSocket ws = socket;
    if (ws != null) ws.abort();
    reportClosed(-1);
  }

  private void reportClosed(int code) {
    synchronized (this) {
      if (closedReported) return;
      closedReported = true;
    }
    onClosed.closed(code);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      try {
        onMessage.accept(JSON.readTree(text));
      } catch (Exception e) {
        // a malformed frame is a server bug: count it as a message the client cannot use
        onMessage.accept(JSON.createObjectNode().put("type", "UNPARSEABLE").put("text", text));
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    webSocket.abort(); // no close reply needed: the client reconnects anyway
    reportClosed(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    reportClosed(-1);
  }
}
