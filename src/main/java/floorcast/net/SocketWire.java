package floorcast.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.apache.pekko.http.javadsl.model.AttributeKey;

/**
 * The write side of one accepted socket, shared by two kinds of writer: the connection's {@link SocketStage}
 * (whatever pekko-http renders: responses, the 101 of an upgrade) and, once a WebSocket connection opens its direct
 * path, that connection's producers, which write pre-rendered frames from their own threads (the node fan-out, the
 * connection's replies) without a hop into the connection's stream.
 *
 * <p>Every write appends whole buffers under one lock and tries the non-blocking socket at once, so frames never
 * interleave and leave in the order they were accepted. What the socket cannot take waits here for write readiness
 * and is flushed, gathered into one write, on the {@link SelectorLoop} thread; a writer that found the wire busy (or
 * left bytes pending) is told once it has drained. Producers only ever write to an idle wire ({@link #tryWrite}), so
 * at most one of their writes is pending at a time: their backlog stays in their own bounded queue.
 *
 * <p>A write error closes the wire (later writes are dropped) and is reported once to the stage, which fails the
 * connection.
 */
public final class SocketWire {
  /** The request attribute by which a WebSocket upgrade on a {@link NioHttpServer} connection finds its wire. */
  public static final AttributeKey<SocketWire> ATTRIBUTE = AttributeKey.create("floorcast-socket-wire", SocketWire.class);

  /**
   * Looks at every read of the socket, on the {@link SelectorLoop} thread, before it goes into the connection's
   * stream (installed by a WebSocket upgrade for what needs no stream at all, such as the client's Pongs). Must not
   * block or move the buffer's position or limit.
   */
  public interface InboundFilter {
    /** True when {@code received} (position to limit) is consumed here and must not reach the stream. */
    boolean consume(ByteBuffer received);
  }

  private final SocketChannel channel;
  private final SelectorLoop loop;
  private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>(2);
  private volatile SelectionKey key;
  private volatile long lastWrite = System.nanoTime();
  // --- set once by the stage before any write
  private Runnable streamDrained = () -> {};
  private Consumer<IOException> failed = e -> {};
  // --- guarded by this
  private volatile Runnable producerDrained = () -> {};
  private volatile InboundFilter inboundFilter;
  private boolean streamWaiting;
  private boolean producerWaiting;
  private boolean closed;

  SocketWire(SocketChannel channel, SelectorLoop loop) {
    this.channel = channel;
    this.loop = loop;
  }

  /** The stage's callbacks (thread-safe, e.g. async callbacks): drained after a write it made waited; a write failed. */
  void bind(SelectionKey key, Runnable streamDrained, Consumer<IOException> failed) {
    this.streamDrained = streamDrained;
    this.failed = failed;
    this.key = key;
  }

  /** Called (on any thread, outside any lock) when the wire drained after a producer's write was refused or left bytes pending. */
  public void onProducerDrained(Runnable listener) {
    this.producerDrained = listener;
  }

  /**
   * From now on every read passes {@code filter} first. Install it before the peer may send what it looks at (a
   * WebSocket upgrade: before the 101 goes out, as the client sends no frame before it, RFC 6455 §4.1).
   */
  public void filterInbound(InboundFilter filter) {
    this.inboundFilter = filter;
  }

  InboundFilter inboundFilter() {
    return inboundFilter;
  }

  /** True when nothing waits to be written and the wire is open. */
  public synchronized boolean idle() {
    return pending.isEmpty() && !closed;
  }

  /**
   * A producer's write: accepted only when nothing is pending (true: it is on the socket or, for what the socket
   * could not take, next in line). Refused (false) when busy or closed; the producer is told when the wire drains.
   */
  public boolean tryWrite(ByteBuffer... buffers) {
    IOException error;
    synchronized (this) {
      if (closed || !pending.isEmpty()) {
        producerWaiting = !closed;
        return false;
      }
      error = writeLocked(buffers);
      if (error == null && !pending.isEmpty()) producerWaiting = true;
    }
    if (error != null) failed.accept(error);
    return true;
  }

  /** The stage's write, behind whatever is pending. True when all of it is on the socket; else the stage is told when it is. */
  boolean streamWrite(ByteBuffer[] buffers) {
    IOException error;
    boolean done;
    synchronized (this) {
      if (closed) return false;
      if (pending.isEmpty()) {
        error = writeLocked(buffers);
      } else {
        for (ByteBuffer b : buffers) if (b.hasRemaining()) pending.addLast(b);
        error = null;
      }
      done = error == null && pending.isEmpty();
      if (!done && error == null) streamWaiting = true;
    }
    if (error != null) failed.accept(error);
    return done;
  }

  /** True when nothing is pending; else the stage is told when it drains. */
  synchronized boolean drainedOrNotify() {
    if (pending.isEmpty()) return true;
    streamWaiting = true;
    return false;
  }

  /** Write readiness (loop thread): write what is pending, gathered; tell the waiting writers once it is all out. */
  void flush() {
    IOException error = null;
    boolean toStream = false;
    boolean toProducer = false;
    synchronized (this) {
      if (closed || pending.isEmpty()) return;
      ByteBuffer[] all = pending.toArray(new ByteBuffer[0]);
      pending.clear();
      error = writeLocked(all);
      if (error == null && pending.isEmpty()) {
        toStream = streamWaiting;
        toProducer = producerWaiting;
        streamWaiting = false;
        producerWaiting = false;
      }
    }
    if (error != null) failed.accept(error);
    if (toStream) streamDrained.run();
    if (toProducer) producerDrained.run();
  }

  /** No more writes: pending bytes are dropped (the stage closes the socket). */
  synchronized void close() {
    closed = true;
    pending.clear();
  }

  long lastWrite() {
    return lastWrite;
  }

  /** Writes as much as the socket takes; keeps the rest pending and asks for write readiness. Returns the error, if any. */
  private IOException writeLocked(ByteBuffer[] buffers) {
    int from = 0;
    try {
      while (from < buffers.length) {
        if (!buffers[from].hasRemaining()) {
          from++;
          continue;
        }
        long n = buffers.length - from == 1 ? channel.write(buffers[from]) : channel.write(buffers, from, buffers.length - from);
        if (n == 0) break;
      }
    } catch (IOException e) {
      closed = true;
      pending.clear();
      return e;
    }
    lastWrite = System.nanoTime();
    if (from == buffers.length) return null;
    for (int i = from; i < buffers.length; i++) if (buffers[i].hasRemaining()) pending.addLast(buffers[i]);
    try {
      key.interestOpsOr(SelectionKey.OP_WRITE); // the socket's send buffer is full: the loop tells us when it drains
    } catch (CancelledKeyException e) {
      closed = true;
      pending.clear();
      return new IOException("connection reset while writing");
    }
    loop.wakeup();
    return null;
  }
}
