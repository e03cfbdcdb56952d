package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;
import floorcast.session.TrackInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Over Floorcast's TCP transport frames go straight to the socket while it takes them and queue behind it while it
 * is busy (protocol.md §14.2); across those switches, with replies written from another thread in between, every
 * frame arrives whole and in the order it was sent.
 */
class DirectWriteOrderTest {

  @Test
  void framesStayInOrderWhileTheSocketSwitchesBetweenBusyAndIdle() throws Exception {
    ScriptedHandlers handlers = new ScriptedHandlers();
    try (TransportTestNode node = TransportTestNode.start(
        // a small send buffer: the kernel would otherwise take a few MB from a client that is not reading
        Map.of("pekko.http.server.socket-options.so-send-buffer-size", "16k"), handlers)) {
      RawWebSocket client = RawWebSocket.connect(node.port(), 4096, Map.of());
      client.sendText("id");
      String id = client.readNonPing().text().substring(3);
      client.sendText("follow:s1");
      assertEquals("following:s1", client.readNonPing().text());

      String title = "t".repeat(2000);
      int rounds = 6;
      int perRound = 100; // ≈ 200 KB a round: more than the socket buffers take from a client that is not reading
      long seq = 0;
      for (int r = 0; r < rounds; r++) {
        long first = seq + 1;
        for (int i = 0; i < perRound; i++) {
          seq++;
          node.gateway.publisher().publish(new SessionFeed.Published(
              "s1", new SessionMessage.NowPlaying("s1", seq, "dj", TrackInfo.of(title, "a")), SessionFeed.Audience.SESSION, null, 0));
          if (i == perRound / 2) client.sendText("mid-" + r); // a reply written by the connection, amid the broadcast
        }
        long last = seq;
        String mid = "mid-" + r;
        Await.until("the reply's request handled", () -> handlers.inbound.contains(mid));
        // the client reads nothing yet: what the socket buffers cannot hold waits in the connection's queue
        Await.until("frames wait behind the busy socket", () -> node.gateway.connections().queuedBytes(id) > 0);
        long expected = first;
        boolean replied = false;
        while (expected <= last || !replied) {
          String text = client.readNonPing().text();
          if (text.equals("echo:mid-" + r)) {
            assertTrue(!replied, "one reply");
            replied = true;
            continue;
          }
          assertTrue(text.contains("\"seq\":" + expected + ","), "frame " + expected + " whole and in order: " + text.substring(0, Math.min(80, text.length())));
          expected++;
        }
      }
      assertEquals(0, node.gateway.connections().queuedBytes(id), "all written");
    }
  }
}
