package floorcast.live.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (java.net.http) that collects text messages and the server's close code and reason. */
final class JdkWsClient implements WebSocket.Listener {
  record Close(int code, String reason) {}

  private static final HttpClient http = HttpClient.newHttpClient();

  final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();
  WebSocket socket;

  static JdkWsClient connect(int port) throws Exception {
    JdkWsClient client = new JdkWsClient();
    client.socket =
        http.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client)
            .get(20, TimeUnit.SECONDS);
    return client;
  }

  String next() throws InterruptedException {
    String m = messages.poll(20, TimeUnit.SECONDS);
    if (m == null) throw new AssertionError("no message within 20 s");
    return m;
  }

  /** Sends and waits until the frame is handed to the socket. */
  void send(String text) throws Exception {
    socket.sendText(text, true).get(20, TimeUnit.SECONDS);
  }

  Close awaitClose() throws Exception {
    return closed.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.add(partial.toString());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] b = new byte[data.remaining()];
    data.get(b);
    partialBinary.writeBytes(b);
    if (last) {
      messages.add("binary:" + new String(partialBinary.toByteArray(), StandardCharsets.UTF_8));
      partialBinary.reset();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }
}
