package floorcast.live;

import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;

/**
 * A session message published by its entity, rendered to wire JSON once per node ({@code json}) and handed to
 * every interested connection of this node. The domain {@code message} is kept for routing decisions
 * (seq gate, superseding in the outbound queue).
 */
public record RenderedMessage(
    SessionFeed.Audience audience, String targetConnectionId, SessionMessage message, String json) {

  public String sessionId() {
    return message.sessionId();
  }

  public long seq() {
    return message.seq();
  }
}
