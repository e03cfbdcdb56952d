package floorcast.live.transport;

/**
 * Text frames built once per node: the fan-out hands the same JSON string to every connection following a session,
 * so encoding it to UTF-8 and wrapping it in a frame is done for the first connection and reused by the rest
 * (performance.md §7, "pre-serialised frames shared across subscribers"). A single slot suffices because one
 * broadcast is handed to all its recipients in a row; a miss only costs one encoding. Immutable slot, no lock.
 */
final class TextFrameCache {
  /** An encoded frame and its payload size in bytes (what the outbound queue counts). */
  record Encoded(String json, Object frame, int bytes) {}

  private volatile Encoded last = new Encoded(null, null, 0);

  Encoded encode(String json) {
    Encoded slot = last;
    if (slot.json() == json) return slot; // identity on purpose: the node-wide rendered instance
    org.apache.pekko.util.ByteString utf8 = org.apache.pekko.util.ByteString.fromString(json);
    Encoded fresh = new Encoded(json, FrameLevelUpgrade.textFrame(utf8), utf8.length());
    last = fresh;
    return fresh;
  }
}
