package floorcast.session;

/**
 * The entity's only way out to connections and the lobby. The gateway implements it with cluster pub/sub; tests
 * with a probe. Calls happen after the causing events are persisted.
 */
public interface SessionPublisher {
  /** Deliver to the session's recipients on every node. */
  void publish(SessionFeed feed);

  /** The lobby directory's view of this session changed (created, track, listeners, DJ presence, ended). */
  void summaryChanged(SessionSummary summary);
}
