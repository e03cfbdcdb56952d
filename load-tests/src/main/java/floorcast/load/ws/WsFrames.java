package floorcast.load.ws;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/** RFC 6455 framing: client frames are masked (§5.3), server frames are not. */
final class WsFrames {
  static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

  private WsFrames() {}

  static ByteBuffer encode(int opcode, byte[] payload, boolean masked) {
    int len = payload.length;
    int header = 2 + (len < 126 ? 0 : len < 65536 ? 2 : 8) + (masked ? 4 : 0);
    ByteBuffer out = ByteBuffer.allocate(header + len);
    out.put((byte) (0x80 | opcode));
    int maskBit = masked ? 0x80 : 0;
    if (len < 126) {
      out.put((byte) (maskBit | len));
    } else if (len < 65536) {
      out.put((byte) (maskBit | 126)).putShort((short) len);
    } else {
      out.put((byte) (maskBit | 127)).putLong(len);
    }
    if (masked) {
      byte[] mask = new byte[4];
      ThreadLocalRandom.current().nextBytes(mask);
      out.put(mask);
      for (int i = 0; i < len; i++) out.put((byte) (payload[i] ^ mask[i & 3]));
    } else {
      out.put(payload);
    }
    return out.flip();
  }

  static ByteBuffer close(int code, boolean masked) {
    return encode(CLOSE, new byte[] {(byte) (code >> 8), (byte) code}, masked);
  }

  /** Receives whole messages (fragments joined) from {@link Decoder#decode}. */
  interface MessageSink {
    void message(int opcode, byte[] payload);
  }

  /**
   * Incremental decoder: feed it the bytes in a buffer (flipped for reading); it consumes complete frames,
   * compacts the rest and reports whole messages. Unmasks masked (client) frames.
   */
  static final class Decoder {
    private byte[] fragments;
    private int fragmentOpcode = -1;

    /** Returns false when a frame is malformed or larger than the limit. */
    boolean decode(ByteBuffer in, int maxPayload, MessageSink sink) {
      while (true) {
        int start = in.position();
        if (in.remaining() < 2) break;
        int b0 = in.get() & 0xFF, b1 = in.get() & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        boolean masked = (b1 & 0x80) != 0;
        long len = b1 & 0x7F;
        if (len == 126) {
          if (in.remaining() < 2) { in.position(start); break; }
          len = in.getShort() & 0xFFFF;
        } else if (len == 127) {
          if (in.remaining() < 8) { in.position(start); break; }
          len = in.getLong();
        }
        if (len < 0 || len > maxPayload) return false;
        if (in.remaining() < (masked ? 4 : 0) + len) { in.position(start); break; }
        byte[] mask = null;
        if (masked) { mask = new byte[4]; in.get(mask); }
        byte[] payload = new byte[(int) len];
        in.get(payload);
        if (masked) for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
        if (opcode >= CLOSE) {
          sink.message(opcode, payload);
        } else if (opcode == CONTINUATION) {
          if (fragmentOpcode < 0) return false;
          fragments = join(fragments, payload);
          if (fin) { sink.message(fragmentOpcode, fragments); fragments = null; fragmentOpcode = -1; }
        } else if (fin) {
          sink.message(opcode, payload);
        } else {
          fragmentOpcode = opcode;
          fragments = payload;
        }
      }
      in.compact();
      return true;
    }

    private static byte[] join(byte[] a, byte[] b) {
      byte[] r = new byte[a.length + b.length];
      System.arraycopy(a, 0, r, 0, a.length);
      System.arraycopy(b, 0, r, a.length, b.length);
      return r;
    }
  }
}
