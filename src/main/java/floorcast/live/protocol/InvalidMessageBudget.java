package floorcast.live.protocol;

import java.util.ArrayDeque;

/**
 * protocol.md §1.2: more than {@code limit} messages failing with invalid_message / unknown_type within a sliding
 * window close the connection (1008). Not thread-safe: owned by one connection under its lock.
 */
final class InvalidMessageBudget {
  private final int limit;
  private final long windowNanos;
  private final ArrayDeque<Long> failures = new ArrayDeque<>();

  InvalidMessageBudget(int limit, long windowNanos) {
    this.limit = limit;
    this.windowNanos = windowNanos;
  }

  /** Records one failure at {@code nowNanos}; true when the window now holds more than the limit. */
  boolean recordAndExceeded(long nowNanos) {
    while (!failures.isEmpty() && nowNanos - failures.peekFirst() >= windowNanos) {
      failures.pollFirst();
    }
    failures.addLast(nowNanos);
    return failures.size() > limit;
  }
}
