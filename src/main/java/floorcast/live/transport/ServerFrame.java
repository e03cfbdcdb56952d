package floorcast.live.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;

/**
 * One complete, unfragmented server→client WebSocket frame exactly as it goes on the wire (RFC 6455 §5.2: FIN set,
 * no extension bits, unmasked), header and payload in one array. Immutable and shareable: the node fan-out renders a
 * broadcast once and every connection writes the same bytes ({@link #buffer()} gives each writer its own position).
 */
final class ServerFrame {
  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  private static final ServerFrame EMPTY_PING = of(PING, new byte[0]);
  private static final ServerFrame EMPTY_CLOSE = of(CLOSE, new byte[0]);

  private final byte[] bytes;
  private final int headerLength;

  private ServerFrame(byte[] bytes, int headerLength) {
    this.bytes = bytes;
    this.headerLength = headerLength;
  }

  static ServerFrame text(String text) {
    return of(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  static ServerFrame ping() {
    return EMPTY_PING;
  }

  /** The answer to a Ping: its payload (at most 125 bytes, checked by the caller). */
  static ServerFrame pong(ByteString payload) {
    return of(PONG, payload.toArray());
  }

  /** A Close frame with this exact code and reason (RFC 6455 §5.5.1; code made sendable, reason fit to 123 bytes). */
  static ServerFrame close(int code, String reason) {
    int sendable = CloseCodes.sendable(code);
    byte[] text = CloseCodes.fitReason(reason).getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + text.length];
    payload[0] = (byte) (sendable >> 8);
    payload[1] = (byte) sendable;
    System.arraycopy(text, 0, payload, 2, text.length);
    return of(CLOSE, payload);
  }

  /** A Close frame without status code (the echo of a peer's Close that had none). */
  static ServerFrame emptyClose() {
    return EMPTY_CLOSE;
  }

  private static ServerFrame of(int opcode, byte[] payload) {
    int n = payload.length;
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    byte[] frame = new byte[header + n];
    frame[0] = (byte) (0x80 | opcode);
    if (n < 126) {
      frame[1] = (byte) n;
    } else if (n <= 0xFFFF) {
      frame[1] = 126;
      frame[2] = (byte) (n >> 8);
      frame[3] = (byte) n;
    } else {
      frame[1] = 127;
      long len = n;
      for (int i = 0; i < 8; i++) frame[2 + i] = (byte) (len >> (8 * (7 - i)));
    }
    System.arraycopy(payload, 0, frame, header, n);
    return new ServerFrame(frame, header);
  }

  int opcode() {
    return bytes[0] & 0x0F;
  }

  /** Payload bytes (what the outbound queue counts). */
  int payloadLength() {
    return bytes.length - headerLength;
  }

  /** The payload, without copying. */
  ByteString payload() {
    return ByteString.fromArrayUnsafe(bytes, headerLength, bytes.length - headerLength);
  }

  /** The whole frame, ready to write (a fresh buffer over the shared bytes). */
  ByteBuffer buffer() {
    return ByteBuffer.wrap(bytes);
  }

  /** For a Close frame: its status code, or 1005 when it has none. */
  int closeCode() {
    return payloadLength() >= 2 ? ((bytes[headerLength] & 0xFF) << 8) | (bytes[headerLength + 1] & 0xFF) : CloseCodes.NO_STATUS;
  }
}
