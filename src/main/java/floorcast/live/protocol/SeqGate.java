package floorcast.live.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-session de-duplication of seq-carrying messages on one connection (protocol.md §1.5, §1.7): a session
 * message reaches the socket only if its seq is above every seq already passed for that session. Session messages
 * arrive twice (direct reply and fan-out); the gate lets the first through. Not thread-safe: owned by one connection.
 */
final class SeqGate {
  /**
   * The highest seq passed per session, in a mutable holder: passing a message writes a long in place instead of
   * storing a fresh boxed {@code Long} into the long-lived map (a reference store into the old generation per
   * delivery, which the collector has to scan at its next young pause).
   */
  private final Map<String, long[]> highest = new HashMap<>(4);

  /** True (and remembered) when the message may pass; messages without seq always pass. */
  boolean pass(String sessionId, long seq) {
    if (seq <= 0 || sessionId == null) return true;
    long[] last = highest.get(sessionId);
    if (last == null) {
      highest.put(sessionId, new long[] {seq});
      return true;
    }
    if (seq <= last[0]) return false;
    last[0] = seq;
    return true;
  }

  /** Like {@link #pass} for a session this connection was attached to; other sessions pass without an entry. */
  boolean passIfKnown(String sessionId, long seq) {
    long[] last = highest.get(sessionId);
    return last == null || seq <= 0 || seq > last[0];
  }
}
