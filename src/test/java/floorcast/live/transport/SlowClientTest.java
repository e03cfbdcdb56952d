package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.ops.NodeMetrics;
import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;
import floorcast.session.TrackInfo;
import floorcast.testing.WebSocketTestClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** protocol.md §14.2: a client that stops reading is closed with 1013 and never delays a healthy one. */
class SlowClientTest {

  @Test
  void stalledClientIsClosedWith1013WhileAHealthyOneReceivesEverything() throws Exception {
    ScriptedHandlers handlers = new ScriptedHandlers();
    // close-timeout generous so the stalled client can still read our Close frame after the fact
    try (TransportTestNode node = TransportTestNode.start(Map.of("floorcast.live.close-timeout", "60s"), handlers)) {
      WebSocketTestClient healthy = WebSocketTestClient.connect(node.port());
      healthy.send("follow:s1");
      assertEquals("following:s1", healthy.nextText());

      RawWebSocket stalled = RawWebSocket.connect(node.port(), 4096, Map.of());
      stalled.sendText("id");
      String stalledId = stalled.readNonPing().text().substring(3);
      stalled.sendText("follow:s1");
      assertEquals("following:s1", stalled.readNonPing().text());
      // from here on the stalled client reads nothing

      String title = "t".repeat(1000);
      long seq = 0;
      int burst = 50; // ~55 KB: below the soft limit for a client that keeps up
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (handlers.closedCount(stalledId) == 0) {
        assertTrue(System.nanoTime() < deadline, "stalled client was never closed");
        for (int i = 0; i < burst; i++) {
          seq++;
          node.gateway.publisher().publish(
              new SessionFeed.Published(
                  "s1", new SessionMessage.NowPlaying("s1", seq, "dj", TrackInfo.of(title, "a")), SessionFeed.Audience.SESSION, null, 0));
        }
        for (int i = 0; i < burst; i++) {
          String m = healthy.nextText();
          long expected = seq - burst + 1 + i;
          assertTrue(m.contains("\"seq\":" + expected + ","), "healthy client got every message in order: " + m.substring(0, 60));
        }
      }
      assertTrue(seq * 1000 > 1024 * 1024, "more than the hard limit was sent: " + seq);

      // the healthy client is still served
      node.gateway.publisher().publish(
          new SessionFeed.Published("s1", new SessionMessage.TrackStopped("s1", seq + 1), SessionFeed.Audience.SESSION, null, 0));
      assertTrue(healthy.nextText().contains("\"type\":\"TrackStopped\""));

      // the stalled client, reading again, finds our Close after what was already in flight
      RawWebSocket.Frame f;
      int dataFrames = 0;
      do {
        f = stalled.readNonPing();
        if (f.opcode() == 0x1) dataFrames++;
      } while (f.opcode() != 0x8);
      assertEquals(1013, f.closeCode());
      assertEquals("Client too slow", f.closeReason());
      assertTrue(dataFrames < seq, "not everything was delivered to the stalled client");
      stalled.sendClose(1013);
      stalled.close();
      Await.until("stalled connection gone", () -> node.gateway.connectionCount() == 1);
      assertEquals(1, handlers.closedCount(stalledId));
      String metrics = NodeMetrics.get(node.system).scrape();
      assertTrue(metrics.contains("floorcast_ws_slow_client_closes_total 1.0"), "one slow-client close counted");
      assertTrue(metrics.contains("floorcast_ws_closes_total{code=\"1013\"} 1.0"), "counted with its code");
      assertTrue(metrics.contains("floorcast_ws_connections 1.0"), "the healthy client is still open");
    }
  }
}
