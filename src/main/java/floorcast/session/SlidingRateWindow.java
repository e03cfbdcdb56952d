package floorcast.session;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key sliding-window counters for dancer limits (protocol.md §16: likes 10/60 s, bulk likes 5/60 s,
 * tempo+votes+reactions+removals 30/60 s). Kept in the session entity, so limits hold whichever node a client
 * connects to; transient (data.md §1.3: reset on recovery is acceptable). Refused attempts are not counted.
 */
final class SlidingRateWindow {
  private final long windowMillis;
  private final Map<String, ArrayDeque<Long>> hits = new HashMap<>();

  SlidingRateWindow(long windowMillis) {
    this.windowMillis = windowMillis;
  }

  /** Counts the attempt and returns true when fewer than {@code limit} were counted in the last window. */
  boolean tryAcquire(String key, long nowMillis, int limit) {
    ArrayDeque<Long> q = hits.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!q.isEmpty() && q.peekFirst() <= nowMillis - windowMillis) q.pollFirst();
    if (q.size() >= limit) return false;
    q.addLast(nowMillis);
    return true;
  }

  /** Drops keys whose hits have all left the window (called from the periodic tick). */
  void purge(long nowMillis) {
    hits.values().removeIf(q -> q.isEmpty() || q.peekLast() <= nowMillis - windowMillis);
  }
}
