package floorcast.live;

/** Creates the protocol handler for a freshly upgraded connection. */
@FunctionalInterface
public interface ConnectionHandlerFactory {
  ConnectionHandler create(ClientChannel channel);
}
