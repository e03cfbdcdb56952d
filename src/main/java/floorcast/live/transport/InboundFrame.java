package floorcast.live.transport;

import org.apache.pekko.util.ByteString;

/**
 * One piece of an inbound WebSocket frame, already unmasked, as handed over by {@link FrameLevelUpgrade}: the
 * frame's start ({@code start} = true, with its header) or a further chunk of its payload. A frame's payload may
 * arrive in several pieces; {@code lastPart} marks its end. {@code protocolError} is set (and nothing else
 * meaningful) when the peer broke the framing rules (e.g. an unmasked frame).
 */
record InboundFrame(
    boolean start,
    int opcode,
    boolean fin,
    boolean reservedBits,
    long length,
    ByteString data,
    boolean lastPart,
    String protocolError) {

  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  static InboundFrame error(String reason) {
    return new InboundFrame(true, -1, true, false, 0, ByteString.emptyByteString(), true, reason);
  }

  boolean isControl() {
    return (opcode & 0x8) != 0;
  }
}
