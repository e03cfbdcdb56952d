package floorcast.session;

import java.time.Duration;

/**
 * What the session entity reports to the node's metrics (the node implements it with its Prometheus registry; the
 * entity knows nothing of it). Calls are cheap and never block.
 */
public interface SessionMetrics {
  /** A command's events were persisted: {@code latency} from the entity receiving the command to the write's end. */
  void persistLatency(Duration latency);

  /** A journal write failed or was rejected, or a recovery failed. */
  void journalError();

  /** A session entity recovered (snapshot + replay) in {@code duration}. */
  void recoveryTime(Duration duration);

  /** {@code count} likes or reactions were merged into a LIKE_RECEIVED / REACTION_RECEIVED of an earlier one. */
  void updatesCoalesced(int count);

  /** Records nothing (entity tests without a node). */
  SessionMetrics NONE =
      new SessionMetrics() {
        @Override
        public void persistLatency(Duration latency) {}

        @Override
        public void journalError() {}

        @Override
        public void recoveryTime(Duration duration) {}

        @Override
        public void updatesCoalesced(int count) {}
      };
}
