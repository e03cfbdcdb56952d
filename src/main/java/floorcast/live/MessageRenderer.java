package floorcast.live;

import floorcast.session.SessionMessage;

/** The wire codec as the node fan-out needs it: one JSON rendering per message per node, and its wire type. */
@FunctionalInterface
public interface MessageRenderer {
  String render(SessionMessage message);

  /** The message's wire type (metrics label); the default is the class name, for renderers without a wire form. */
  default String wireType(SessionMessage message) {
    return message.getClass().getSimpleName();
  }
}
