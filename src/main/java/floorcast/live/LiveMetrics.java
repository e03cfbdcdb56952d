package floorcast.live;

import java.time.Duration;

/**
 * What the live gateway reports to the node's metrics (the node implements it with its Prometheus registry). The
 * fan-out calls it once per node delivery, never per connection; everything here is cheap and never blocks.
 */
public interface LiveMetrics {
  void connectionOpened();

  /** A connection ended; {@code closeCode} is the code of its Close frame (ours or the peer's), 1006 without one. */
  void connectionClosed(int closeCode);

  /** One inbound message of this wire type ({@code invalid} for messages that did not decode). */
  void messageIn(String type);

  /** {@code count} outbound frames of this wire type (one fan-out to {@code count} connections, or one reply). */
  void messagesOut(String type, int count);

  /** A message with a messageId answered with ACK ({@code acked}) or NACK, {@code latency} after it arrived. */
  void commandHandled(String type, boolean acked, Duration latency);

  /** Entity publish → the frame offered to the last recipient's queue on this node. */
  void fanoutLatency(Duration latency);

  /** Superseded or droppable updates removed from a lagging connection's queue. */
  void updatesDropped(int count);

  /** A connection closed with 1013 because its queue passed the hard limit or stayed above the soft one. */
  void slowClientClosed();

  /** A request answered 429 by the named limit. */
  void rateLimited(String limit);

  /** A REGISTER_SESSION token that did not validate (the DJ continues unauthenticated, §3.1). */
  void authFailure();

  /** Records nothing (transport and protocol tests without a node). */
  LiveMetrics NONE =
      new LiveMetrics() {
        @Override
        public void connectionOpened() {}

        @Override
        public void connectionClosed(int closeCode) {}

        @Override
        public void messageIn(String type) {}

        @Override
        public void messagesOut(String type, int count) {}

        @Override
        public void commandHandled(String type, boolean acked, Duration latency) {}

        @Override
        public void fanoutLatency(Duration latency) {}

        @Override
        public void updatesDropped(int count) {}

        @Override
        public void slowClientClosed() {}

        @Override
        public void rateLimited(String limit) {}

        @Override
        public void authFailure() {}
      };
}
