package floorcast.live;

import floorcast.session.SessionFeed;
import java.util.List;

/** A connection as seen by the node fan-out: receives what the sessions it follows publish. */
public interface FeedListener {
  String connectionId();

  /**
   * A published session message (already rendered). Called on the fan-out's thread: must not block. Returns whether
   * the message is this listener's to send (sent, or held to be sent): false when it is not a recipient or already
   * has it; the fan-out counts the true ones as outbound messages.
   */
  boolean onMessage(RenderedMessage message);

  /**
   * Several messages of one session published together, in order: the same as {@link #onMessage} for each (a
   * connection writes the ones it sends with one socket write). A DJ-only message among them may be another
   * connection's: skipped, as {@link #onMessage} skips it. Returns how many were this listener's.
   */
  default int onMessages(List<RenderedMessage> messages) {
    int taken = 0;
    for (RenderedMessage message : messages) {
      if (onMessage(message)) taken++;
    }
    return taken;
  }

  /** The session's entity (re)started: re-attach if subscribed or DJ (§7.6). */
  void onRecovered(SessionFeed.Recovered recovered);

  /** Another connection took the DJ role of this session. */
  void onDjRoleRevoked(SessionFeed.DjRoleRevoked revoked);
}
