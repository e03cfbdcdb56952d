package floorcast.live;

import floorcast.session.SessionFeed;

/** A connection as seen by the node fan-out: receives what the sessions it follows publish. */
public interface FeedListener {
  String connectionId();

  /**
   * A published session message (already rendered). Called on the fan-out's thread: must not block. Returns whether
   * the message is this listener's to send (sent, or held to be sent): false when it is not a recipient or already
   * has it; the fan-out counts the true ones as outbound messages.
   */
  boolean onMessage(RenderedMessage message);

  /** The session's entity (re)started: re-attach if subscribed or DJ (§7.6). */
  void onRecovered(SessionFeed.Recovered recovered);

  /** Another connection took the DJ role of this session. */
  void onDjRoleRevoked(SessionFeed.DjRoleRevoked revoked);
}
