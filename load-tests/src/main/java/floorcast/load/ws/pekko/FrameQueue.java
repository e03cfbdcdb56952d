package floorcast.load.ws.pekko;

import java.util.ArrayDeque;

/**
 * The bounded outbound queue of one frame-level connection, as Floorcast's OutboundQueue works (minus its byte
 * accounting and supersede rules, which the floor's single message kind never needs): producers on any thread offer
 * in a short critical section and never block; the single consumer is the connection's stage, which polls when the
 * socket can take more and is woken by the first offer after it found the queue empty.
 */
final class FrameQueue {
  enum Offer {
    QUEUED,
    /** Queued, and the consumer was waiting for data: wake it. */
    WAKE,
    /** Full: the frame was not queued and the queue refuses everything from now on. */
    FULL,
    /** Closed: the frame was not queued. */
    CLOSED
  }

  private final int capacity;
  private final ArrayDeque<Object> frames = new ArrayDeque<>();
  private boolean consumerWaiting;
  private boolean closed;

  FrameQueue(int capacity) {
    this.capacity = capacity;
  }

  synchronized Offer offer(Object frame) {
    if (closed) return Offer.CLOSED;
    if (frames.size() >= capacity) {
      close();
      return Offer.FULL;
    }
    frames.addLast(frame);
    if (consumerWaiting) {
      consumerWaiting = false;
      return Offer.WAKE;
    }
    return Offer.QUEUED;
  }

  /** The next frame, or null (the consumer is then marked waiting: the next offer answers {@link Offer#WAKE}). */
  synchronized Object poll() {
    Object f = frames.pollFirst();
    if (f == null) consumerWaiting = true;
    return f;
  }

  /** Drop what is queued and refuse further frames. */
  synchronized void close() {
    closed = true;
    frames.clear();
  }
}
