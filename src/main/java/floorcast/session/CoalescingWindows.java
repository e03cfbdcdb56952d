package floorcast.session;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Transient coalescing state of one session (protocol.md §14.1): what is pending per kind and when each kind was
 * last emitted. Leading edge: a kind not emitted during the last window is emitted at once; otherwise it waits for
 * the end of the window.
 */
final class CoalescingWindows {
  enum Kind {
    LIKE,
    REACTION,
    POLL,
    TEMPO,
    LISTENER
  }

  private final Map<Kind, Duration> windows = new EnumMap<>(Kind.class);
  private final Map<Kind, Instant> lastEmit = new EnumMap<>(Kind.class);
  /** track key → likes since that track's previous LIKE_RECEIVED (insertion order = emission order) */
  final LinkedHashMap<String, Integer> pendingLikes = new LinkedHashMap<>();

  int pendingReactions;
  boolean pendingPoll;
  boolean pendingTempo;
  boolean pendingListener;
  /** last TEMPO_FEEDBACK figures sent to the DJ, or null */
  int[] lastTempoSent;
  /** last LISTENER_COUNT broadcast, or -1 */
  int lastListenerSent = -1;

  CoalescingWindows(SessionSettings settings) {
    windows.put(Kind.LIKE, settings.likeWindow());
    windows.put(Kind.REACTION, settings.reactionWindow());
    windows.put(Kind.POLL, settings.pollUpdateWindow());
    windows.put(Kind.TEMPO, settings.tempoWindow());
    windows.put(Kind.LISTENER, settings.listenerWindow());
  }

  /** When a pending message of this kind may be emitted ({@code now} when the window is open). */
  Instant dueAt(Kind kind, Instant now) {
    Instant last = lastEmit.get(kind);
    if (last == null) return now;
    Instant open = last.plus(windows.get(kind));
    return open.isAfter(now) ? open : now;
  }

  void emitted(Kind kind, Instant now) {
    lastEmit.put(kind, now);
  }

  boolean pending(Kind kind) {
    switch (kind) {
      case LIKE:
        return !pendingLikes.isEmpty();
      case REACTION:
        return pendingReactions > 0;
      case POLL:
        return pendingPoll;
      case TEMPO:
        return pendingTempo;
      default:
        return pendingListener;
    }
  }

  /** Upper bound of messages a flush of everything pending would emit (for seq reservation). */
  int pendingCount() {
    return pendingLikes.size() + 4;
  }
}
