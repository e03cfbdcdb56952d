package floorcast.load.ws;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client WebSocket over a non-blocking SocketChannel bound to the process's own 127.0.3.x source address
 * (its own 28k ephemeral ports, performance.md §1): HTTP/1.1 upgrade, then RFC 6455 frames. Answers protocol
 * pings itself (the server closes a connection silent for 120 s, protocol.md §1.1).
 */
final class ClientSocket implements EventLoop.Handler {
  /** What the socket reports to its owner (dancer, DJ). */
  interface Listener {
    void opened(long nanos);

    /** A text message; receivedNanos is taken right after the read that completed it, before any parsing. */
    void text(String message, long receivedNanos);

    /** The connection is gone; kind names the failure ("closed_1013", "eof", "http_429", …) or "client_close". */
    void closed(String kind);
  }

  private static final int MAX_MESSAGE = 1 << 20;
  private static final String PHONE_USER_AGENT =
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
  private static final long HANDSHAKE_TIMEOUT_NANOS = 15_000_000_000L;

  private enum State { CONNECTING, HANDSHAKE, OPEN, CLOSED }

  private final EventLoop loop;
  private final Listener listener;
  private final String hostHeader;
  private final boolean browserHeaders;
  private SocketChannel channel;
  private SelectionKey key;
  private State state = State.CONNECTING;
  private ByteBuffer in = ByteBuffer.allocate(4096);
  private final WriteQueue out = new WriteQueue();
  private final WsFrames.Decoder decoder = new WsFrames.Decoder();
  private long receivedNanos;
  private boolean closeSent;

  private ClientSocket(EventLoop loop, Listener listener, String hostHeader, boolean browserHeaders) {
    this.loop = loop;
    this.listener = listener;
    this.hostHeader = hostHeader;
    this.browserHeaders = browserHeaders;
  }

  /**
   * Starts connecting; failures are reported through the listener (on the loop thread, never re-entrantly).
   * browserHeaders: the upgrade request carries the headers a phone's Chrome sends (User-Agent, Origin, Pragma, …)
   * instead of the five the handshake needs; the server's per-connection header parsing differs between the two.
   */
  static ClientSocket open(
      EventLoop loop, String sourceAddress, InetSocketAddress server, boolean browserHeaders, Listener listener) {
    ClientSocket s =
        new ClientSocket(loop, listener, server.getHostString() + ":" + server.getPort(), browserHeaders);
    try {
      s.channel = SocketChannel.open();
      s.channel.configureBlocking(false);
      s.channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      s.channel.bind(new InetSocketAddress(sourceAddress, 0));
      boolean connected = s.channel.connect(server);
      s.key = s.channel.register(loop.selector, connected ? 0 : SelectionKey.OP_CONNECT, s);
      if (connected) s.startHandshake();
    } catch (BindException e) {
      loop.after(0, () -> s.finish("bind_failed"));
    } catch (IOException e) {
      loop.after(0, () -> s.finish(kindOf(e)));
    }
    loop.after(HANDSHAKE_TIMEOUT_NANOS, () -> {
      if (s.state == State.CONNECTING || s.state == State.HANDSHAKE) s.finish("handshake_timeout");
    });
    return s;
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  void sendText(String text) {
    if (state != State.OPEN) return;
    enqueue(WsFrames.encode(WsFrames.TEXT, text.getBytes(StandardCharsets.UTF_8), true));
  }

  /** Client-initiated close: a normal close frame, then the socket is dropped without waiting for the echo. */
  void close() {
    if (state == State.OPEN && !closeSent) {
      closeSent = true;
      enqueue(WsFrames.close(1000, true));
    }
    finish("client_close");
  }

  /** Abrupt drop (a phone losing its network): no close frame. */
  void drop() {
    finish("client_close");
  }

  @Override
  public void ready(SelectionKey k) {
    try {
      if (k.isConnectable()) {
        channel.finishConnect();
        startHandshake();
        return;
      }
      if (k.isWritable()) flush();
      if (k.isValid() && k.isReadable()) read();
    } catch (IOException e) {
      finish(kindOf(e));
    }
  }

  private void startHandshake() throws IOException {
    state = State.HANDSHAKE;
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String key64 = Base64.getEncoder().encodeToString(nonce);
    String request = browserHeaders
        ? "GET /ws HTTP/1.1\r\nHost: " + hostHeader + "\r\nConnection: Upgrade\r\nPragma: no-cache\r\n"
            + "Cache-Control: no-cache\r\nUser-Agent: " + PHONE_USER_AGENT + "\r\nUpgrade: websocket\r\n"
            + "Origin: http://" + hostHeader + "\r\nSec-WebSocket-Version: 13\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-US,en;q=0.9\r\n"
            + "Sec-WebSocket-Key: " + key64 + "\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
        : "GET /ws HTTP/1.1\r\nHost: " + hostHeader + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + key64 + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    key.interestOps(SelectionKey.OP_READ);
    enqueue(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
  }

  private void enqueue(ByteBuffer frame) {
    if (state == State.CLOSED) return;
    out.add(frame);
    try {
      flush();
    } catch (IOException e) {
      loop.after(0, () -> finish(kindOf(e)));
    }
  }

  private void flush() throws IOException {
    out.flush(channel, key);
  }

  private void read() throws IOException {
    int n = channel.read(in);
    receivedNanos = System.nanoTime();
    if (n < 0) {
      finish("eof");
      return;
    }
    in.flip();
    if (state == State.HANDSHAKE && !readHandshake()) return;
    if (state == State.OPEN && !decoder.decode(in, MAX_MESSAGE, this::message)) {
      finish("bad_frame");
      return;
    }
    if (state == State.OPEN && !in.hasRemaining()) {
      // a frame larger than the buffer: grow it (compact left it full)
      ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
      in.flip();
      bigger.put(in);
      in = bigger;
    }
  }

  /** Returns true when the upgrade completed; leaves any bytes after the headers in the buffer. */
  private boolean readHandshake() {
    int end = -1;
    for (int i = in.position(); i + 3 < in.limit(); i++) {
      if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
        end = i + 4;
        break;
      }
    }
    if (end < 0) {
      if (in.limit() == in.capacity()) { finish("handshake_too_large"); return false; }
      in.position(in.limit()).limit(in.capacity());
      return false;
    }
    byte[] head = new byte[end - in.position()];
    in.get(head);
    String status = new String(head, 0, Math.min(head.length, 64), StandardCharsets.US_ASCII);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[1].equals("101")) {
      finish("http_" + (parts.length > 1 ? parts[1] : "garbled"));
      return false;
    }
    state = State.OPEN;
    listener.opened(receivedNanos);
    return state == State.OPEN;
  }

  private void message(int opcode, byte[] payload) {
    if (state != State.OPEN) return;
    switch (opcode) {
      case WsFrames.TEXT, WsFrames.BINARY ->
          listener.text(new String(payload, StandardCharsets.UTF_8), receivedNanos);
      case WsFrames.PING -> enqueue(WsFrames.encode(WsFrames.PONG, payload, true));
      case WsFrames.CLOSE -> {
        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        if (!closeSent) { closeSent = true; enqueue(WsFrames.close(code == 1005 ? 1000 : code, true)); }
        finish("closed_" + code);
      }
      default -> { }
    }
  }

  private static String kindOf(IOException e) {
    if (e instanceof ConnectException) return "connect_refused";
    String m = String.valueOf(e.getMessage()).toLowerCase();
    if (m.contains("reset")) return "reset";
    if (m.contains("broken pipe")) return "broken_pipe";
    if (m.contains("cannot assign")) return "no_ports";
    return "io_error";
  }

  private void finish(String kind) {
    if (state == State.CLOSED) return;
    state = State.CLOSED;
    try {
      if (closeSent && !out.isEmpty()) flush();
    } catch (IOException ignored) {
      // the peer is gone already; the close frame was a courtesy
    }
    try {
      if (key != null) key.cancel();
      if (channel != null) channel.close();
    } catch (IOException ignored) {
      // closing a socket that failed: nothing left to report
    }
    listener.closed(kind);
  }
}
