package floorcast.live;

import floorcast.session.SessionSummary;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The cluster's live sessions as this node sees them (the lobby directory; the transport's LiveSessionDirectory has
 * exactly these methods). The view MAY be up to 2 s stale (protocol.md §4.2).
 */
public interface LiveSessions {
  /** Every live session (DJ connected or away). */
  List<SessionSummary> liveSessions();

  /** Number of live sessions in the cluster (MAX_SESSIONS check, §3.1 step 5). */
  int count();

  /** The directory's entry for a live session, empty when it is not listed. */
  Optional<SessionSummary> get(String sessionId);

  /** Adapts any directory with these three operations, e.g. {@code LiveSessions.of(d::liveSessions, d::count, d::get)}. */
  static LiveSessions of(
      Supplier<List<SessionSummary>> liveSessions,
      IntSupplier count,
      Function<String, Optional<SessionSummary>> get) {
    return new LiveSessions() {
      @Override
      public List<SessionSummary> liveSessions() {
        return liveSessions.get();
      }

      @Override
      public int count() {
        return count.getAsInt();
      }

      @Override
      public Optional<SessionSummary> get(String sessionId) {
        return get.apply(sessionId);
      }
    };
  }
}
