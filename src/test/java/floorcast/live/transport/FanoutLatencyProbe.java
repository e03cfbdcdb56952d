package floorcast.live.transport;

import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;
import floorcast.session.TrackInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Manual fan-out latency probe (performance.md §6), not a unit test: one node, N raw NIO dancers following one
 * session in this JVM, one broadcast per second stamped with its intended send time; prints percentiles of
 * (receive − stamp) over all deliveries and the delivery count. Run: {@code java -cp <test classpath>
 * floorcast.live.transport.FanoutLatencyProbe <dancers> <broadcasts>}.
 */
public final class FanoutLatencyProbe {
  public static void main(String[] args) throws Exception {
    int dancers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int broadcasts = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    ScriptedHandlers handlers = new ScriptedHandlers();
    try (TransportTestNode node = TransportTestNode.start(Map.of("floorcast.live.ws-rate-limit", 1_000_000), handlers)) {
      Selector selector = Selector.open();
      List<SocketChannel> sockets = new ArrayList<>();
      byte[] follow = frame("follow:perf");
      for (int i = 0; i < dancers; i++) {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", node.port()));
        ch.write(ByteBuffer.wrap(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer head = ByteBuffer.allocate(1024);
        while (!new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII).contains("\r\n\r\n")) ch.read(head);
        ch.write(ByteBuffer.wrap(follow));
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(64 * 1024));
        sockets.add(ch);
      }
      ClusterNodeFanout fanout = (ClusterNodeFanout) node.gateway.fanout();
      Await.until("all following", java.time.Duration.ofSeconds(120), () -> fanout.followerCount("perf") == dancers);
      Histogram histogram = new Histogram(60_000_000_000L, 3);
      int warmup = 5; // performance.md §6.7: warm-up excluded
      broadcasts += warmup;
      long start = System.nanoTime() + 1_000_000_000L;
      int sent = 0;
      boolean warm = false;
      long end = start + broadcasts * 1_000_000_000L + 5_000_000_000L;
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        if (!warm && now >= start + warmup * 1_000_000_000L - 50_000_000L) {
          histogram.reset();
          warm = true;
        }
        if (sent < broadcasts && now >= start + sent * 1_000_000_000L) {
          long stamp = start + sent * 1_000_000_000L; // intended time: no coordinated omission
          sent++;
          node.gateway.publisher().publish(new SessionFeed.Published(
              "perf", new SessionMessage.NowPlaying("perf", sent, "dj", TrackInfo.of("T" + stamp + "E", "a")), SessionFeed.Audience.SESSION, null, 0));
        }
        selector.select(5);
        for (SelectionKey key : selector.selectedKeys()) read(key, histogram);
        selector.selectedKeys().clear();
        if (sent == broadcasts && histogram.getTotalCount() >= (long) dancers * (broadcasts - warmup)) break;
      }
      broadcasts -= warmup;
      System.out.printf("dancers=%d broadcasts=%d deliveries=%d/%d p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms%n",
          dancers, broadcasts, histogram.getTotalCount(), (long) dancers * broadcasts,
          histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(90) / 1e6,
          histogram.getValueAtPercentile(99) / 1e6, histogram.getMaxValue() / 1e6);
      for (SocketChannel ch : sockets) ch.close();
    }
  }

  private static void read(SelectionKey key, Histogram histogram) throws IOException {
    SocketChannel ch = (SocketChannel) key.channel();
    ByteBuffer buf = (ByteBuffer) key.attachment();
    if (ch.read(buf) < 0) {
      key.cancel();
      return;
    }
    long now = System.nanoTime();
    buf.flip();
    while (buf.remaining() >= 2) {
      int pos = buf.position();
      int b1 = buf.get(pos + 1) & 0x7F;
      int headerLen = b1 == 126 ? 4 : b1 == 127 ? 10 : 2;
      if (buf.remaining() < headerLen) break;
      int len = b1 == 126 ? ((buf.get(pos + 2) & 0xFF) << 8) | (buf.get(pos + 3) & 0xFF) : b1 == 127 ? (int) buf.getLong(pos + 2) : b1;
      if (buf.remaining() < headerLen + len) break;
      String text = new String(buf.array(), pos + headerLen, len, StandardCharsets.UTF_8);
      int t = text.indexOf("\"title\":\"T");
      if (t >= 0) histogram.recordValue(Math.max(0, now - Long.parseLong(text.substring(t + 10, text.indexOf('E', t + 10)))));
      buf.position(pos + headerLen + len);
    }
    buf.compact();
  }

  private static byte[] frame(String text) {
    byte[] p = text.getBytes(StandardCharsets.UTF_8);
    byte[] f = new byte[6 + p.length];
    f[0] = (byte) 0x81;
    f[1] = (byte) (0x80 | p.length);
    for (int i = 0; i < p.length; i++) f[6 + i] = p[i]; // mask key 0: masked bit set, payload unchanged
    return f;
  }
}
