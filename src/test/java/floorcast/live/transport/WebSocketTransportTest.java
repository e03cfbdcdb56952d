package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.testing.WebSocketTestClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The frame-level transport against real clients: message assembly, limits, ordering and exact close codes. */
class WebSocketTransportTest {
  static final ScriptedHandlers handlers = new ScriptedHandlers();
  static TransportTestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TransportTestNode.start(Map.of("floorcast.live.ws-rate-limit", 1000), handlers);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static String id(WebSocketTestClient c) throws Exception {
    c.send("id");
    String reply = c.nextText();
    assertTrue(reply.startsWith("id:"), reply);
    return reply.substring(3);
  }

  @Test
  void echoesTextAndHandlesMessagesStrictlyInOrder() throws Exception {
    WebSocketTestClient c = WebSocketTestClient.connect(node.port());
    c.send("hello");
    assertEquals("echo:hello", c.nextText());
    c.send("slow:300");
    c.send("after");
    assertEquals("done:300", c.nextText());
    assertEquals("echo:after", c.nextText());
    assertEquals(1, handlers.maxConcurrent.get(), "one message at a time per connection");
    c.sendClose(1000, "bye");
    assertEquals(1000, c.awaitClose().code(), "the server echoes the client's close code");
  }

  @Test
  void messageOfExactlyTheLimitIsAcceptedAndOneMoreCharacterClosesWith1009() throws Exception {
    WebSocketTestClient ok = WebSocketTestClient.connect(node.port());
    ok.send("é".repeat(10_240));
    assertEquals("len:10240", ok.nextText());
    ok.send("😀".repeat(5_120)); // surrogate pairs: 10,240 UTF-16 code units
    assertEquals("len:10240", ok.nextText());

    WebSocketTestClient big = WebSocketTestClient.connect(node.port());
    String bigId = id(big);
    big.sendPart("x".repeat(10_241), true);
    WebSocketTestClient.Closed close = big.awaitClose();
    assertEquals(new WebSocketTestClient.Closed(1009, "Message too large"), close);
    Await.until("onClosed once", () -> handlers.closedCount(bigId) == 1);
  }

  @Test
  void fragmentedMessageOverTheLimitClosesWith1009() throws Exception {
    WebSocketTestClient c = WebSocketTestClient.connect(node.port());
    c.sendPart("a".repeat(5_000), false).get(10, TimeUnit.SECONDS);
    c.sendPart("b".repeat(5_000), false).get(10, TimeUnit.SECONDS);
    c.sendPart("c".repeat(241), true);
    assertEquals(new WebSocketTestClient.Closed(1009, "Message too large"), c.awaitClose());
  }

  @Test
  void binaryMessageOverTheLimitClosesWith1009() throws Exception {
    WebSocketTestClient c = WebSocketTestClient.connect(node.port());
    c.sendBinary("€".repeat(10_241).getBytes(StandardCharsets.UTF_8));
    assertEquals(new WebSocketTestClient.Closed(1009, "Message too large"), c.awaitClose());
  }

  @Test
  void binaryIsDecodedAsUtf8Text() throws Exception {
    WebSocketTestClient c = WebSocketTestClient.connect(node.port());
    c.sendBinary("grüße €".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    assertEquals("echo:grüße €", c.nextText());
  }

  @Test
  void fragmentsWithInterleavedPingAreAssembledAndThePingAnswered() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(node.port(), 0, Map.of())) {
      byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // split a multi-byte character across fragments
      raw.sendFrame(0x1, false, new byte[] {'a', 'b', euro[0]});
      raw.sendFrame(0x9, true, "p1".getBytes(StandardCharsets.UTF_8));
      raw.sendFrame(0x0, false, new byte[] {euro[1], euro[2]});
      raw.sendFrame(0x0, true, "cd".getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame pong = raw.readNonPing();
      assertEquals(0xA, pong.opcode());
      assertEquals("p1", pong.text());
      RawWebSocket.Frame echo = raw.readNonPing();
      assertEquals(0x1, echo.opcode());
      assertEquals("echo:ab€cd", echo.text());
      // fragmented binary too
      raw.sendFrame(0x2, false, "bin".getBytes(StandardCharsets.UTF_8));
      raw.sendFrame(0x0, true, "ary".getBytes(StandardCharsets.UTF_8));
      assertEquals("echo:binary", raw.readNonPing().text());
    }
  }

  @Test
  void oversizedFrameHeaderIsRejectedBeforeItsPayloadArrives() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(node.port(), 0, Map.of())) {
      // a 50,000-byte frame: only its first bytes are sent, the declared length alone must trigger 1009
      byte[] head = new byte[] {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0, (byte) 0xC3, 0x50, 1, 2, 3, 4, 'x', 'y'};
      raw.socket.getOutputStream().write(head);
      raw.socket.getOutputStream().flush();
      RawWebSocket.Frame close = raw.readNonPing();
      assertEquals(0x8, close.opcode());
      assertEquals(1009, close.closeCode());
      assertEquals("Message too large", close.closeReason());
    }
  }

  @Test
  void handlerChosenCloseCodesArriveExactly() throws Exception {
    for (String[] c :
        new String[][] {
          {"4410", "Session has ended"},
          {"1008", "Too many invalid messages"},
          {"1013", "Server busy (max sessions reached)"}
        }) {
      WebSocketTestClient client = WebSocketTestClient.connect(node.port());
      String id = id(client);
      client.send("before");
      client.send("close:" + c[0] + ":" + c[1]);
      assertEquals("echo:before", client.nextText(), "frames queued before the close are written first");
      assertEquals(new WebSocketTestClient.Closed(Integer.parseInt(c[0]), c[1]), client.awaitClose());
      Await.until("onClosed exactly once", () -> handlers.closedCount(id) == 1);
    }
  }

  @Test
  void clientIpIsThePeerWhenNoTrustedProxyIsConfigured() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(node.port(), 0, Map.of("X-Forwarded-For", "203.0.113.9"))) {
      raw.sendText("ip");
      assertEquals("ip:127.0.0.1", raw.readNonPing().text());
    }
  }

  @Test
  void aClientAnsweringPingsStaysOpenPastTheIdleTimeout() throws Exception {
    ScriptedHandlers idleHandlers = new ScriptedHandlers();
    try (TransportTestNode idleNode =
            TransportTestNode.start(
                Map.of("floorcast.live.idle-timeout", "1500ms", "floorcast.live.keep-alive-ping", "300ms"), idleHandlers);
        RawWebSocket raw = RawWebSocket.connect(idleNode.port(), 0, Map.of())) {
      // only pongs from this client, for twice the idle timeout: every ping is answered, nothing else is sent
      int pings = 0;
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3000);
      while (System.nanoTime() < until) {
        RawWebSocket.Frame f = raw.readFrame();
        assertEquals(0x9, f.opcode(), "only keep-alive pings while the client is quiet");
        raw.sendFrame(0xA, true, f.payload());
        pings++;
      }
      assertTrue(pings >= 5, "a ping about every 300 ms: " + pings);
      raw.sendText("ip");
      assertEquals("ip:127.0.0.1", raw.readNonPing().text(), "still open and served");
      assertEquals(0, idleHandlers.totalClosed());
    }
  }

  @Test
  void silentClientWithoutPongsIsClosedWith1001() throws Exception {
    // this node: short idle timeout; the raw client never answers pings and sends nothing
    ScriptedHandlers idleHandlers = new ScriptedHandlers();
    try (TransportTestNode idleNode =
            TransportTestNode.start(
                Map.of(
                    "floorcast.live.idle-timeout", "1500ms",
                    "floorcast.live.keep-alive-ping", "300ms",
                    "floorcast.live.close-timeout", "1s"),
                idleHandlers);
        RawWebSocket raw = RawWebSocket.connect(idleNode.port(), 0, Map.of())) {
      RawWebSocket.Frame first = raw.readFrame();
      assertEquals(0x9, first.opcode(), "keep-alive ping first");
      RawWebSocket.Frame close = raw.readNonPing();
      assertEquals(0x8, close.opcode());
      assertEquals(1001, close.closeCode());
      assertEquals("Idle timeout", close.closeReason());
      Await.until("onClosed", () -> idleHandlers.totalClosed() == 1);
      // the client never answers our Close: the server drops the socket after close-timeout
      long start = System.nanoTime();
      try {
        int read = raw.socket.getInputStream().read();
        assertEquals(-1, read, "nothing after the Close frame");
      } catch (java.net.SocketException reset) {
        // connection reset: dropped as well
      }
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "dropped within the close timeout");
      Await.until("gauge back to 0", () -> idleNode.gateway.connectionCount() == 0);
    }
  }
}
