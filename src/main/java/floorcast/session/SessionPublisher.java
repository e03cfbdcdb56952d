package floorcast.session;

import java.util.List;

/**
 * The entity's only way out to connections and the lobby. The gateway implements it with cluster pub/sub; tests
 * with a probe. Calls happen after the causing events are persisted.
 */
public interface SessionPublisher {
  /** Deliver to the session's recipients on every node. */
  void publish(SessionFeed feed);

  /**
   * Deliver {@code feeds} (messages of this session published together, in order). By default one by one; the
   * cluster publisher sends several as one {@link SessionFeed.Batch}.
   */
  default void publishAll(List<SessionFeed.Published> feeds) {
    for (SessionFeed.Published feed : feeds) publish(feed);
  }

  /** The lobby directory's view of this session changed (created, track, listeners, DJ presence, ended). */
  void summaryChanged(SessionSummary summary);
}
