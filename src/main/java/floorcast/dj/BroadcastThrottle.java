package floorcast.dj;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Track pacing of clients.md §5: never two {@code BROADCAST_TRACK} less than {@code gapMillis} apart; a newer track
 * waiting for the window replaces an older waiting one. Not thread-safe: used from the client's single event loop.
 *
 * @param <T> the waiting item (the prepared track message)
 */
public final class BroadcastThrottle<T> {
  private final long gapMillis;
  private long lastReleasedAt = Long.MIN_VALUE;
  private T waiting;

  public BroadcastThrottle(long gapMillis) {
    this.gapMillis = gapMillis;
  }

  /** The item itself if it may go now (and the window restarts), else empty: it now waits, replacing any older one. */
  public Optional<T> offer(T item, long nowMillis) {
    if (waiting == null && mayRelease(nowMillis)) {
      lastReleasedAt = nowMillis;
      return Optional.of(item);
    }
    waiting = item;
    return Optional.empty();
  }

  /** The waiting item once its window has passed. */
  public Optional<T> poll(long nowMillis) {
    if (waiting == null || !mayRelease(nowMillis)) return Optional.empty();
    T out = waiting;
    waiting = null;
    lastReleasedAt = nowMillis;
    return Optional.of(out);
  }

  /** When the waiting item becomes due, if one waits. */
  public OptionalLong dueAt() {
    return waiting == null ? OptionalLong.empty() : OptionalLong.of(lastReleasedAt + gapMillis);
  }

  public boolean hasWaiting() {
    return waiting != null;
  }

  private boolean mayRelease(long nowMillis) {
    return lastReleasedAt == Long.MIN_VALUE || nowMillis - lastReleasedAt >= gapMillis;
  }
}
