package floorcast.live;

import java.util.concurrent.CompletionStage;

/**
 * The protocol logic of one connection (protocol.md §1.2–§5). The transport calls {@link #onText} for each
 * complete inbound message strictly in order, waiting for the returned stage before the next one (§1.2: effects
 * and direct replies of a frame complete before the next frame is processed).
 */
public interface ConnectionHandler {
  /** One decoded text message (binary frames are decoded as UTF-8 by the transport), ≤ 10,240 chars. */
  CompletionStage<Void> onText(String text);

  /** The socket is gone (any reason): DJ disconnect, listener leave, unfollow. */
  void onClosed();
}
