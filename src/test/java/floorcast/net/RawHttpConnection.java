package floorcast.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One HTTP/1.1 client connection over a plain socket, so a test controls keep-alive, half-close and read pace. */
final class RawHttpConnection implements AutoCloseable {
  /** A response: status, lower-cased header names, body. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttpConnection(int port) throws IOException {
    this(port, 0);
  }

  /** receiveBuffer > 0: a small socket receive buffer, so that a slow reader fills the server's send buffer. */
  RawHttpConnection(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
    socket.setSoTimeout(20_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  void send(String method, String path, byte[] body) throws IOException {
    String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (body.length > 0 ? "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n" : "")
        + "\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  Response get(String path) throws IOException {
    send("GET", path, new byte[0]);
    return read();
  }

  /** Reads one response (Content-Length framed, as the test routes answer). */
  Response read() throws IOException {
    String status = line();
    if (status == null) throw new IOException("connection closed before a response");
    Map<String, String> headers = new LinkedHashMap<>();
    String h;
    while (!(h = line()).isEmpty()) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    if (body.length < length) throw new IOException("body cut at " + body.length + " of " + length);
    return new Response(Integer.parseInt(status.split(" ")[1]), headers, body);
  }

  /** True when the server closed the connection (EOF) before sending anything more. */
  boolean closedByServer() throws IOException {
    return in.read() == -1;
  }

  InputStream input() {
    return in;
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
