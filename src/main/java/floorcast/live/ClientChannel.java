package floorcast.live;

import floorcast.session.SessionMessage;

/**
 * The outbound side of one WebSocket connection, implemented by the transport. Thread-safe and non-blocking:
 * frames go into the connection's bounded queue (protocol.md §14.2), a lagging client is closed with 1013 by the
 * queue itself.
 */
public interface ClientChannel {
  /** Cluster-unique id of this connection (node address + local counter). */
  String connectionId();

  /**
   * Queue one text frame. {@code message} is the domain message when the frame is a session message (used to
   * drop superseded updates under pressure), else {@code null} (ACK, NACK, ERROR, PONG, ... are never dropped).
   */
  void send(String json, SessionMessage message);

  /**
   * Queue {@code count} text frames in order, as {@link #send} each ({@code messages[i]} belongs to
   * {@code jsons[i]}); the transport writes them with one socket write when it can.
   */
  default void sendAll(String[] jsons, SessionMessage[] messages, int count) {
    for (int i = 0; i < count; i++) send(jsons[i], messages[i]);
  }

  /** Close with this exact code and reason once the frames queued before have been written. */
  void close(int code, String reason);

  /** The client's IP as resolved by the transport (trusted-proxy aware), for per-IP limits and logs. */
  String clientIp();
}
