package floorcast.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Real HTTP calls for the tests: java.net.http for ordinary requests, a raw socket for abusive ones. */
final class TestHttp {
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger IPS = new AtomicInteger((int) (System.nanoTime() & 0xffff) * 100);

  private TestHttp() {}

  /** A fresh documentation-range client address for X-Forwarded-For, so tests do not share rate budgets. */
  static String freshIp() {
    int n = IPS.incrementAndGet();
    return "10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
  }

  static HttpResponse<String> send(AuthTestServer s, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(s.uri(path))
            .timeout(Duration.ofSeconds(60))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) b.headers(headers);
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POST with {@code X-Pika-Client: pika-e2e}, JSON content type and a fresh client IP unless headers set one. */
  static HttpResponse<String> post(AuthTestServer s, String path, String body, String... headers) throws Exception {
    String[] all = new String[headers.length + 4];
    all[0] = "X-Pika-Client";
    all[1] = "pika-e2e";
    all[2] = "Content-Type";
    all[3] = "application/json";
    System.arraycopy(headers, 0, all, 4, headers.length);
    boolean hasIp = false;
    for (int i = 0; i < headers.length; i += 2) if (headers[i].equalsIgnoreCase("X-Forwarded-For")) hasIp = true;
    if (!hasIp) {
      String[] more = new String[all.length + 2];
      System.arraycopy(all, 0, more, 0, all.length);
      more[all.length] = "X-Forwarded-For";
      more[all.length + 1] = freshIp();
      all = more;
    }
    return send(s, "POST", path, body, all);
  }

  static HttpResponse<String> get(AuthTestServer s, String path, String... headers) throws Exception {
    return send(s, "GET", path, null, headers);
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  static String errorBody(String text) {
    return JSON.createObjectNode().put("error", text).toString();
  }

  /** A raw HTTP/1.1 exchange (Connection: close): status, lower-cased headers, body. */
  record RawResponse(int status, Map<String, String> headers, String body) {}

  static RawResponse raw(AuthTestServer s, byte[] request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", s.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (java.io.IOException e) {
        // the server may answer and close before reading everything; the response is still readable
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      try {
        int n;
        while ((n = in.read(chunk)) >= 0) buf.write(chunk, 0, n);
      } catch (java.net.SocketException e) {
        // reset after the response: keep what arrived
      }
      String text = buf.toString(StandardCharsets.UTF_8);
      int headerEnd = text.indexOf("\r\n\r\n");
      if (headerEnd < 0) throw new IllegalStateException("no HTTP response: " + text);
      String[] lines = text.substring(0, headerEnd).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> h = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        h.putIfAbsent(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
      }
      return new RawResponse(status, h, text.substring(headerEnd + 4));
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
