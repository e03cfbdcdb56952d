package floorcast.live.transport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A byte-level WebSocket client for what java.net.http cannot do: raw frames (fragments, interleaved control
 * frames, binary), not answering pings, not reading at all (a slow consumer), and plain upgrade attempts that may be
 * refused (429).
 */
final class RawWebSocket implements AutoCloseable {
  record Frame(int opcode, boolean fin, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
    }

    String closeReason() {
      return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
  }

  record HttpReply(int status, String head, String body) {}

  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Upgrade attempt; {@code receiveBuffer} > 0 shrinks the client's socket buffer (slow-consumer tests). */
  static RawWebSocket connect(int port, int receiveBuffer, Map<String, String> headers) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(20_000);
    RawWebSocket ws = new RawWebSocket(s);
    HttpReply reply = ws.handshake(port, headers);
    if (reply.status() != 101) {
      s.close();
      throw new IOException("upgrade refused: " + reply.status() + " " + reply.body());
    }
    return ws;
  }

  /** One upgrade attempt, returning the server's HTTP answer (the socket is closed afterwards unless 101). */
  static HttpReply attempt(int port, Map<String, String> headers) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(20_000);
      return new RawWebSocket(s).handshake(port, headers);
    }
  }

  private HttpReply handshake(int port, Map<String, String> headers) throws IOException {
    StringBuilder req = new StringBuilder();
    req.append("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\n")
        .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    req.append("\r\n");
    out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new EOFException("connection closed during handshake");
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String headText = head.toString(StandardCharsets.US_ASCII);
    int status = Integer.parseInt(headText.substring(9, 12));
    String body = "";
    if (status != 101) {
      int length = 0;
      for (String line : headText.split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
      }
      body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
    return new HttpReply(status, headText, body);
  }

  /** A masked frame as a browser would send it. */
  void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | opcode);
    int len = payload.length;
    if (len < 126) {
      f.write(0x80 | len);
    } else if (len <= 0xFFFF) {
      f.write(0x80 | 126);
      f.write(len >> 8);
      f.write(len & 0xFF);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) f.write((int) (((long) len >> (8 * i)) & 0xFF));
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.write(mask);
    for (int i = 0; i < len; i++) f.write(payload[i] ^ mask[i % 4]);
    out.write(f.toByteArray());
    out.flush();
  }

  void sendText(String text) throws IOException {
    sendFrame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
  }

  void sendClose(int code) throws IOException {
    sendFrame(0x8, true, new byte[] {(byte) (code >> 8), (byte) code});
  }

  Frame readFrame() throws IOException {
    int b0 = readByte();
    int b1 = readByte();
    long len = b1 & 0x7F;
    if (len == 126) len = (readByte() << 8) | readByte();
    else if (len == 127) {
      len = 0;
      for (int i = 0; i < 8; i++) len = (len << 8) | readByte();
    }
    if ((b1 & 0x80) != 0) throw new IOException("server frames must not be masked");
    byte[] payload = in.readNBytes((int) len);
    if (payload.length != len) throw new EOFException("truncated frame");
    return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
  }

  /** Next frame that is not a Ping (pings are NOT answered: this client may be "silent"). */
  Frame readNonPing() throws IOException {
    Frame f;
    do {
      f = readFrame();
    } while (f.opcode() == 0x9);
    return f;
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) throw new EOFException();
    return b;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
