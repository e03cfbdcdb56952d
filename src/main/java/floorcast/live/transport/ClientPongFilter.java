package floorcast.live.transport;

import floorcast.net.SocketWire;
import java.nio.ByteBuffer;
import java.util.function.LongConsumer;

/**
 * Answers to the keep-alive Pings, consumed where they are read. Every dancer answers the node's Ping every 20 s
 * (protocol.md §1.1) with a Pong that is good for nothing but proof of life; through the connection's stream it cost
 * an async callback and a pass through pekko-http's frame parser, the unmasking stage and {@link ConnectionStage}, and
 * left old-generation objects pointing at young ones (at 10,000 dancers: 500 Pongs/s, most of the cards the young
 * pauses had to scan, docs/benchmarks.md "Session 15"). Here, on the selector thread, a read that holds nothing but
 * whole, valid client Pongs (FIN, no reserved bits, masked, payload ≤ 125 bytes) only stamps the connection's inbound
 * time ({@code seen}, what {@link ConnectionStage} does for a Pong) and goes no further; every other read goes to the
 * stream unchanged, invalid Pongs too, so their errors stay the stream's.
 *
 * <p>To know where frames start, it follows the header of every frame the client sends (RFC 6455 §5.2), also across
 * reads. It starts at a frame boundary: installed before the 101 goes out, and a client sends no frame before it
 * (RFC 6455 §4.1). A 64-bit length with its top bit set is a protocol error the stream reports; from then on the
 * filter passes everything. Selector thread only.
 */
final class ClientPongFilter implements SocketWire.InboundFilter {
  private static final int MAX_HEADER = 14;
  private static final int FIN_PONG = 0x80 | InboundFrame.PONG;

  private final LongConsumer seen;
  /** Payload bytes of the current frame still to come. */
  private long payloadLeft;
  /** A frame header split between reads: its bytes so far. */
  private final byte[] header = new byte[MAX_HEADER];
  private int headerBytes;
  private boolean lost;

  /** {@code seen}: told {@link System#nanoTime()} of each consumed read. */
  ClientPongFilter(LongConsumer seen) {
    this.seen = seen;
  }

  @Override
  public boolean consume(ByteBuffer received) {
    if (lost) return false;
    int position = received.position();
    int limit = received.limit();
    boolean onlyPongs = position < limit && payloadLeft == 0 && headerBytes == 0;
    int at = position;
    while (at < limit) {
      if (payloadLeft > 0) {
        int skip = (int) Math.min(payloadLeft, limit - at);
        at += skip;
        payloadLeft -= skip;
        continue;
      }
      header[headerBytes++] = received.get(at++);
      int length = headerLength();
      if (length < 0 || headerBytes < length) continue;
      long payload = payloadLength();
      if (payload < 0) {
        lost = true;
        return false;
      }
      onlyPongs &=
          (header[0] & 0xFF) == FIN_PONG
              && (header[1] & 0x80) != 0
              && (header[1] & 0x7F) <= ConnectionStage.MAX_CONTROL_PAYLOAD;
      payloadLeft = payload;
      headerBytes = 0;
    }
    if (!onlyPongs || payloadLeft > 0 || headerBytes > 0) return false;
    seen.accept(System.nanoTime());
    return true;
  }

  /** The length of the header begun in {@link #header}, or -1 while its second byte is still to come. */
  private int headerLength() {
    if (headerBytes < 2) return -1;
    int length7 = header[1] & 0x7F;
    int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    int mask = (header[1] & 0x80) != 0 ? 4 : 0;
    return 2 + extended + mask;
  }

  /** The payload length of the complete header in {@link #header}; negative for a 64-bit length over 2^63 - 1. */
  private long payloadLength() {
    int length7 = header[1] & 0x7F;
    if (length7 < 126) return length7;
    int bytes = length7 == 126 ? 2 : 8;
    long length = 0;
    for (int i = 0; i < bytes; i++) length = (length << 8) | (header[2 + i] & 0xFF);
    return length;
  }
}
