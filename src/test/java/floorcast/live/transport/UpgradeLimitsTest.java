package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.testing.WebSocketTestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** protocol.md §1.1: per-IP upgrade rate limit, trusted-proxy client IP, graceful shutdown with 1012. */
class UpgradeLimitsTest {

  @Test
  void upgradesOverTheLimitGet429AndForwardedForCountsOnlyFromTrustedProxies() throws Exception {
    ScriptedHandlers handlers = new ScriptedHandlers();
    try (TransportTestNode untrusted = TransportTestNode.start(Map.of("floorcast.live.ws-rate-limit", 3), handlers)) {
      // no trusted proxy: X-Forwarded-For is ignored, all attempts are 127.0.0.1's
      for (int i = 0; i < 3; i++) {
        assertEquals(101, RawWebSocket.attempt(untrusted.port(), Map.of("X-Forwarded-For", "198.51.100." + i)).status());
      }
      RawWebSocket.HttpReply refused = RawWebSocket.attempt(untrusted.port(), Map.of("X-Forwarded-For", "198.51.100.77"));
      assertEquals(429, refused.status());
      assertEquals("Rate limit exceeded", refused.body());
      assertTrue(refused.head().toLowerCase().contains("content-type: text/plain"), refused.head());
    }

    try (TransportTestNode behindProxy =
        TransportTestNode.start(
            Map.of("floorcast.live.ws-rate-limit", 3, "floorcast.security.trusted-proxies", "127.0.0.1"), handlers)) {
      for (int i = 0; i < 3; i++) {
        assertEquals(101, RawWebSocket.attempt(behindProxy.port(), Map.of("X-Forwarded-For", "198.51.100.1, 10.0.0.1")).status());
      }
      assertEquals(429, RawWebSocket.attempt(behindProxy.port(), Map.of("X-Forwarded-For", "198.51.100.1")).status());
      // another client behind the same proxy has its own window
      try (RawWebSocket other = RawWebSocket.connect(behindProxy.port(), 0, Map.of("X-Forwarded-For", "198.51.100.2"))) {
        other.sendText("ip");
        assertEquals("ip:198.51.100.2", other.readNonPing().text());
      }
      try (RawWebSocket cf = RawWebSocket.connect(behindProxy.port(), 0, Map.of("CF-Connecting-IP", "203.0.113.5", "X-Forwarded-For", "198.51.100.3"))) {
        cf.sendText("ip");
        assertEquals("ip:203.0.113.5", cf.readNonPing().text());
      }
    }
  }

  @Test
  void gracefulShutdownClosesEveryConnectionWith1012AndRefusesNewOnes() throws Exception {
    ScriptedHandlers handlers = new ScriptedHandlers();
    try (TransportTestNode node = TransportTestNode.start(Map.of(), handlers)) {
      WebSocketTestClient a = WebSocketTestClient.connect(node.port());
      WebSocketTestClient b = WebSocketTestClient.connect(node.port());
      a.send("hi");
      assertEquals("echo:hi", a.nextText());
      b.send("hi");
      assertEquals("echo:hi", b.nextText());
      assertEquals(2, node.gateway.connectionCount());

      node.gateway.closeAllForRestart().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);

      assertEquals(new WebSocketTestClient.Closed(1012, "Server restarting"), a.awaitClose());
      assertEquals(new WebSocketTestClient.Closed(1012, "Server restarting"), b.awaitClose());
      Await.until("both onClosed once", () -> handlers.totalClosed() == 2);
      Await.until("gauge back to 0", () -> node.gateway.connectionCount() == 0);
      assertEquals(503, RawWebSocket.attempt(node.port(), Map.of()).status());
    }
  }

  @Test
  void coordinatedShutdownClosesConnectionsWith1012() throws Exception {
    ScriptedHandlers handlers = new ScriptedHandlers();
    TransportTestNode node = TransportTestNode.start(Map.of(), handlers);
    try {
      // as FloorcastNode does: the binding's own unbind/terminate run in the same phases
      node.binding.addToCoordinatedShutdown(java.time.Duration.ofSeconds(10), node.system);
      node.gateway.addToCoordinatedShutdown(node.system);
      WebSocketTestClient client = WebSocketTestClient.connect(node.port());
      client.send("hi");
      assertEquals("echo:hi", client.nextText());
      org.apache.pekko.actor.CoordinatedShutdown.get(node.system)
          .run(org.apache.pekko.actor.CoordinatedShutdown.unknownReason());
      assertEquals(new WebSocketTestClient.Closed(1012, "Server restarting"), client.awaitClose());
      Await.until("onClosed", () -> handlers.totalClosed() == 1);
    } finally {
      node.close();
    }
  }
}
