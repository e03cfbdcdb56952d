package floorcast.load.ws;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The floor for side-by-side runs: a bare single-threaded NIO WebSocket server that sends every text frame
 * containing BROADCAST_TRACK, framed once, to the open connections of its session (the sender included). A
 * connection belongs to the session named by the first of its frames that carries a {@code sessionId} (the load
 * dancers send a SUBSCRIBE, the DJs' broadcasts name theirs); a connection that never named one gets every
 * broadcast. No protocol, no persistence, no actors: what the same machine costs for the same fan-out straight from
 * the socket layer, so Floorcast's figures can be read as a ratio to it, for one session or many. Loopback only;
 * stops by itself after the given seconds.
 * Usage: FloorServer &lt;port&gt; &lt;seconds&gt;
 */
public final class FloorServer {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC11B85";

  private final Set<Peer> peers = new LinkedHashSet<>();
  /** Open connections that named no session yet: they get every broadcast. */
  private final Set<Peer> unassigned = new LinkedHashSet<>();
  private final Map<String, Set<Peer>> sessions = new HashMap<>();
  private final EventLoop loop;
  private long broadcasts, deliveries;

  private FloorServer(EventLoop loop) {
    this.loop = loop;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    long seconds = Long.parseLong(args[1]);
    EventLoop loop = new EventLoop();
    FloorServer floor = new FloorServer(loop);
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
    server.configureBlocking(false);
    server.register(loop.selector, SelectionKey.OP_ACCEPT, (EventLoop.Handler) k -> floor.accept(server));
    System.out.println("floor listening on 127.0.0.1:" + port);
    loop.runUntil(System.nanoTime() + seconds * 1_000_000_000L);
    System.out.println("floor: broadcasts=" + floor.broadcasts + " deliveries=" + floor.deliveries);
  }

  private void accept(ServerSocketChannel server) {
    try {
      SocketChannel ch;
      while ((ch = server.accept()) != null) {
        ch.configureBlocking(false);
        ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        Peer p = new Peer(ch);
        p.key = ch.register(loop.selector, SelectionKey.OP_READ, p);
      }
    } catch (IOException e) {
      System.err.println("floor accept: " + e);
    }
  }

  private void broadcast(String session, byte[] payload) {
    broadcasts++;
    ByteBuffer frame = WsFrames.encode(WsFrames.TEXT, payload, false);
    deliver(sessions.getOrDefault(session, Set.of()), frame);
    deliver(unassigned, frame);
  }

  private void deliver(Set<Peer> to, ByteBuffer frame) {
    for (Peer p : to) {
      if (p.open) {
        p.send(frame.duplicate());
        deliveries++;
      }
    }
  }

  private final class Peer implements EventLoop.Handler {
    final SocketChannel channel;
    SelectionKey key;
    boolean open;
    String session;
    ByteBuffer in = ByteBuffer.allocate(4096);
    final WriteQueue out = new WriteQueue();
    final WsFrames.Decoder decoder = new WsFrames.Decoder();

    Peer(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public void ready(SelectionKey k) {
      try {
        if (k.isWritable()) flush();
        if (k.isValid() && k.isReadable()) read();
      } catch (IOException e) {
        drop();
      }
    }

    void read() throws IOException {
      if (channel.read(in) < 0) { drop(); return; }
      in.flip();
      if (!open) {
        String head = StandardCharsets.US_ASCII.decode(in.duplicate()).toString();
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) { in.position(in.limit()).limit(in.capacity()); return; }
        in.position(end + 4);
        String key = null;
        for (String line : head.substring(0, end).split("\r\n")) {
          if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) key = line.substring(18).trim();
        }
        if (key == null) { drop(); return; }
        send(ByteBuffer.wrap(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        open = true;
        peers.add(this);
        unassigned.add(this);
      }
      if (!decoder.decode(in, 1 << 20, this::message)) drop();
    }

    void message(int opcode, byte[] payload) {
      if (opcode == WsFrames.CLOSE) { drop(); return; }
      if (opcode != WsFrames.TEXT) return;
      String text = new String(payload, StandardCharsets.UTF_8);
      if (session == null) {
        session = JsonFields.string(text, "sessionId");
        if (session != null) {
          unassigned.remove(this);
          sessions.computeIfAbsent(session, s -> new LinkedHashSet<>()).add(this);
        }
      }
      if (text.contains("BROADCAST_TRACK")) broadcast(session, payload);
    }

    void send(ByteBuffer b) {
      out.add(b);
      try {
        flush();
      } catch (IOException e) {
        drop();
      }
    }

    void flush() throws IOException {
      out.flush(channel, key);
    }

    void drop() {
      if (!key.isValid()) return;
      open = false;
      // removed on the next loop turn: drop() may run inside broadcast()'s iteration
      loop.after(0, () -> {
        peers.remove(this);
        unassigned.remove(this);
        Set<Peer> same = session == null ? null : sessions.get(session);
        if (same != null) same.remove(this);
      });
      key.cancel();
      try {
        channel.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }

  private static String accept(String key) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
