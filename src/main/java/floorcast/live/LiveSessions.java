package floorcast.live;

import floorcast.session.SessionSummary;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The cluster's live sessions as this node sees them (the lobby directory, implemented by the transport's
 * LiveSessionDirectory). The view MAY be up to 2 s stale (protocol.md §4.2).
 */
public interface LiveSessions {
  /** Every live session (DJ connected or away). */
  List<SessionSummary> liveSessions();

  /** Number of live sessions in the cluster (MAX_SESSIONS check, §3.1 step 5). */
  int count();

  /** The directory's entry for a live session, empty when it is not listed. */
  Optional<SessionSummary> get(String sessionId);

  /**
   * A stamp that changes whenever {@link #liveSessions()} may answer differently (a session listed, unlisted or its
   * summary changed), for callers that keep something derived from the list; {@link #UNVERSIONED} when the
   * directory does not track changes (derive afresh every time).
   */
  long version();

  /** The {@link #version()} of a directory that does not track its changes. */
  long UNVERSIONED = -1;

  /**
   * Adapts any directory with these three operations, e.g. {@code LiveSessions.of(d::liveSessions, d::count,
   * d::get)}; it is {@link #UNVERSIONED}.
   */
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

      @Override
      public long version() {
        return UNVERSIONED;
      }
    };
  }
}
