package floorcast.live.transport;

import org.apache.pekko.util.ByteString;

/**
 * Joins the frames of one inbound data message (text or binary, possibly fragmented into continuation frames) and
 * enforces protocol.md §1.2 item 1: more than {@code maxChars} UTF-16 code units after decoding, or more than
 * {@code maxBytes} raw bytes, is "too large". Rejection is early: a frame whose declared length would pass the byte
 * cap, or data whose character count already passes the limit, fails before the rest arrives.
 */
final class MessageAssembler {
  private final int maxChars;
  private final int maxBytes;
  private ByteString data = ByteString.emptyByteString();
  private boolean inMessage;
  /** Lower bound of the decoded length: every UTF-8 byte that is not a continuation byte yields ≥ 1 code unit. */
  private long minChars;

  MessageAssembler(int maxChars, int maxBytes) {
    this.maxChars = maxChars;
    this.maxBytes = maxBytes;
  }

  boolean inMessage() {
    return inMessage;
  }

  void begin() {
    inMessage = true;
    data = ByteString.emptyByteString();
    minChars = 0;
  }

  /** False when a frame of this declared payload length cannot fit (reject before reading it). */
  boolean admitsFrame(long frameLength) {
    return data.length() + frameLength <= maxBytes;
  }

  /** Appends payload bytes; false when the message is already too large. */
  boolean append(ByteString chunk) {
    if (chunk.isEmpty()) return true;
    if ((long) data.length() + chunk.length() > maxBytes) return false;
    for (int i = 0, n = chunk.length(); i < n; i++) {
      if ((chunk.apply(i) & 0xC0) != 0x80) minChars++;
    }
    data = data.isEmpty() ? chunk : data.concat(chunk);
    return minChars <= maxChars;
  }

  /**
   * The complete message decoded as UTF-8 (malformed input replaced, binary treated like text, §1.2), or null when
   * it exceeds the character limit. Resets for the next message.
   */
  String finish() {
    String text = data.utf8String();
    inMessage = false;
    data = ByteString.emptyByteString();
    minChars = 0;
    return text.length() > maxChars ? null : text;
  }
}
