package floorcast.live.transport;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import floorcast.serialization.CborSerializable;
import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;

/**
 * The cluster-wire form of a {@link SessionFeed} on the session topics. {@code SessionMessage} is a sealed interface
 * without Jackson type information, so a {@code SessionFeed.Published} sent as-is cannot be deserialized on another
 * node; this envelope names the message's concrete class on the wire ({@code @class}) and is converted back on
 * arrival.
 */
record TopicFeed(
    Kind kind,
    String sessionId,
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
        SessionMessage message,
    SessionFeed.Audience audience,
    String connectionId)
    implements CborSerializable {

  enum Kind {
    PUBLISHED,
    RECOVERED,
    DJ_ROLE_REVOKED
  }

  static TopicFeed of(SessionFeed feed) {
    if (feed instanceof SessionFeed.Published p) {
      return new TopicFeed(Kind.PUBLISHED, p.sessionId(), p.message(), p.audience(), p.targetConnectionId());
    }
    if (feed instanceof SessionFeed.Recovered r) {
      return new TopicFeed(Kind.RECOVERED, r.sessionId(), null, null, r.djConnectionId());
    }
    if (feed instanceof SessionFeed.DjRoleRevoked d) {
      return new TopicFeed(Kind.DJ_ROLE_REVOKED, d.sessionId(), null, null, d.connectionId());
    }
    throw new IllegalArgumentException("unknown feed " + feed.getClass().getName());
  }

  SessionFeed toFeed() {
    switch (kind) {
      case PUBLISHED:
        return new SessionFeed.Published(sessionId, message, audience, connectionId);
      case RECOVERED:
        return new SessionFeed.Recovered(sessionId, connectionId);
      default:
        return new SessionFeed.DjRoleRevoked(sessionId, connectionId);
    }
  }
}
