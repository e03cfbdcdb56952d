package floorcast.live.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-session de-duplication of seq-carrying messages on one connection (protocol.md §1.5, §1.7): a session
 * message reaches the socket only if its seq is above every seq already passed for that session. Session messages
 * arrive twice (direct reply and fan-out); the gate lets the first through. Not thread-safe: owned by one connection.
 */
final class SeqGate {
  private final Map<String, Long> highest = new HashMap<>(4);

  /** True (and remembered) when the message may pass; messages without seq always pass. */
  boolean pass(String sessionId, long seq) {
    if (seq <= 0 || sessionId == null) return true;
    Long last = highest.get(sessionId);
    if (last != null && seq <= last) return false;
    highest.put(sessionId, seq);
    return true;
  }

  /** Like {@link #pass} for a session this connection was attached to; other sessions pass without an entry. */
  boolean passIfKnown(String sessionId, long seq) {
    Long last = highest.get(sessionId);
    return last == null || seq <= 0 || seq > last;
  }
}
