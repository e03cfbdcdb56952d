package floorcast.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SubscriptionWithCancelException;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One accepted TCP connection as a stream stage: bytes to send in, bytes received out. It takes the place of pekko's
 * TCP stage and connection actor beneath pekko-http's server layer, with the same semantics as pekko's
 * {@code Tcp().bind(halfClose = false)}: the peer's FIN completes the outlet, the upstream's completion closes the
 * connection once everything is written, a failure on either side aborts it.
 *
 * <p>What it saves: pekko's stage hands every write to the connection's actor and waits for that actor's ack (two
 * actor messages per write), and every read comes back the same way. Here the stage writes to the non-blocking
 * socket itself, on its own stream thread, through the connection's {@link SocketWire} (which a WebSocket
 * connection's producers may also write to directly); only a write the socket buffer cannot take waits for the
 * selector's write readiness. Reads happen on the {@link SelectorLoop} thread, which passes the bytes in with one
 * async callback, unless the wire's {@link SocketWire.InboundFilter} consumed them there.
 *
 * <p>Bounded: at most {@link #MAX_BUFFERED} received bytes wait for the downstream before the loop stops reading
 * this socket (it resumes once they are taken), plus one read; upstream is pulled only when the wire has written
 * the previous bytes.
 */
final class SocketStage extends GraphStage<FlowShape<ByteString, ByteString>> {
  /** Received bytes that may wait for the downstream before the socket is no longer read. */
  static final int MAX_BUFFERED = 64 * 1024;

  /** Unread bytes discarded at most when closing (unread data would turn the close into a reset). */
  private static final int MAX_DRAIN_ON_CLOSE = 64 * 1024;

  private final Inlet<ByteString> toSocket = Inlet.create("Socket.toSocket");
  private final Outlet<ByteString> fromSocket = Outlet.create("Socket.fromSocket");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(toSocket, fromSocket);
  private final SelectorLoop loop;
  private final SocketChannel channel;
  private final SocketWire wire;
  private final ConnectionRegistry registry;

  SocketStage(SelectorLoop loop, SocketChannel channel, SocketWire wire, ConnectionRegistry registry) {
    this.loop = loop;
    this.channel = channel;
    this.wire = wire;
    this.registry = registry;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  private final class Logic extends GraphStageLogic implements SelectorLoop.Ready, ConnectionRegistry.Connection {
    // --- shared with the loop thread
    private final AtomicInteger buffered = new AtomicInteger();
    private final AsyncCallback<ByteString> received = createAsyncCallback(this::onReceived);
    private final AsyncCallback<Done> peerClosed = createAsyncCallback(d -> onPeerClosed());
    private final AsyncCallback<Throwable> failed = createAsyncCallback(this::fail);
    private final AsyncCallback<Done> written = createAsyncCallback(d -> onWritten());
    private volatile boolean discardReads;
    private volatile long lastActivity = System.nanoTime();
    private volatile SelectionKey key;
    // --- loop thread only
    private boolean readPaused;
    // --- stream thread only
    private final ArrayDeque<ByteString> inbound = new ArrayDeque<>();
    private boolean peerFinished;
    private boolean writing; // bytes of the last push are still on the wire
    private boolean closeWhenWritten;
    private boolean closed;

    Logic() {
      super(shape);
      setHandler(toSocket, new AbstractInHandler() {
        @Override
        public void onPush() {
          writing = true;
          if (wire.streamWrite(buffers(grab(toSocket)))) onWritten();
        }

        @Override
        public void onUpstreamFinish() {
          closeWhenWritten = true;
          if (!writing && wire.drainedOrNotify()) closeConnection();
        }

        @Override
        public void onUpstreamFailure(Throwable ex) {
          fail(ex);
        }
      });
      setHandler(fromSocket, new AbstractOutHandler() {
        @Override
        public void onPull() {
          deliver();
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          discardReads = true;
          release(drainInbound());
          if (cause instanceof SubscriptionWithCancelException.NonFailureCancellation) {
            closeWhenWritten = true;
            if (!writing && wire.drainedOrNotify()) closeConnection();
          } else {
            fail(cause);
          }
        }
      });
    }

    @Override
    public void preStart() {
      registry.add(this);
      try {
        key = channel.register(loop.selector, SelectionKey.OP_READ, this);
        wire.bind(key, () -> written.invoke(Done.getInstance()), failed::invoke);
        loop.wakeup();
      } catch (IOException e) {
        fail(e);
        return;
      }
      pull(toSocket);
    }

    @Override
    public void postStop() {
      closeChannelOnce();
      registry.remove(this);
    }

    // ---------------------------------------------------------------- loop thread

    @Override
    public void ready(SelectionKey k) {
      try {
        if (k.isWritable()) {
          k.interestOpsAnd(~SelectionKey.OP_WRITE);
          wire.flush();
        }
        if (k.isValid() && k.isReadable()) read(k);
      } catch (CancelledKeyException e) {
        // the stream closed the channel meanwhile: nothing left to read or write
      }
    }

    private void read(SelectionKey k) {
      ByteBuffer buffer = loop.readBuffer();
      int n;
      try {
        n = channel.read(buffer);
      } catch (IOException e) {
        k.cancel();
        failed.invoke(e);
        return;
      }
      if (n < 0) {
        k.interestOpsAnd(~SelectionKey.OP_READ);
        peerClosed.invoke(Done.getInstance());
        return;
      }
      if (n == 0) return;
      lastActivity = System.nanoTime();
      if (discardReads) return;
      buffer.flip();
      SocketWire.InboundFilter filter = wire.inboundFilter();
      if (filter != null && filter.consume(buffer)) return;
      ByteString bytes = ByteString.fromByteBuffer(buffer);
      if (buffered.addAndGet(n) >= MAX_BUFFERED) {
        k.interestOpsAnd(~SelectionKey.OP_READ);
        readPaused = true;
      }
      received.invoke(bytes);
    }

    private void resumeReading() {
      SelectionKey k = key;
      if (readPaused && k != null && k.isValid() && buffered.get() < MAX_BUFFERED) {
        readPaused = false;
        k.interestOpsOr(SelectionKey.OP_READ);
      }
    }

    // ---------------------------------------------------------------- stream thread

    private void onReceived(ByteString bytes) {
      if (isClosed(fromSocket)) {
        release(bytes.size());
        return;
      }
      inbound.add(bytes);
      if (isAvailable(fromSocket)) deliver();
    }

    private void deliver() {
      ByteString next = inbound.poll();
      if (next != null) {
        push(fromSocket, next);
        release(next.size());
      } else if (peerFinished) {
        complete(fromSocket);
      }
    }

    private void onPeerClosed() {
      peerFinished = true;
      if (inbound.isEmpty() && !isClosed(fromSocket)) complete(fromSocket);
    }

    private int drainInbound() {
      int n = 0;
      for (ByteString b : inbound) n += b.size();
      inbound.clear();
      return n;
    }

    /** Received bytes left this stage: if that takes the count below the bound, the loop reads this socket again. */
    private void release(int n) {
      if (n == 0) return;
      int after = buffered.addAndGet(-n);
      if (after < MAX_BUFFERED && after + n >= MAX_BUFFERED) loop.execute(this::resumeReading);
    }

    /** The wire has written everything this stage gave it (and whatever producers wrote before). */
    private void onWritten() {
      if (closed) return;
      writing = false;
      if (closeWhenWritten) {
        if (wire.drainedOrNotify()) closeConnection();
      } else if (!isClosed(toSocket) && !hasBeenPulled(toSocket)) {
        pull(toSocket);
      }
    }

    /** Everything is written: FIN after the data, discard what the peer sent unread, close, stop. */
    private void closeConnection() {
      if (closed) return;
      discardReads = true;
      try {
        channel.shutdownOutput();
        ByteBuffer sink = ByteBuffer.allocate(4096);
        int drained = 0;
        int n;
        while (drained < MAX_DRAIN_ON_CLOSE && (n = channel.read(sink.clear())) > 0) drained += n;
      } catch (IOException e) {
        // the peer is gone already: nothing left to flush
      }
      closeChannelOnce();
      completeStage();
    }

    private void fail(Throwable cause) {
      closeChannelOnce();
      failStage(cause);
    }

    private void closeChannelOnce() {
      if (closed) return;
      closed = true;
      wire.close();
      try {
        channel.close();
      } catch (IOException e) {
        // closing: nothing to report
      }
      loop.wakeup(); // the selector releases the cancelled key (and the descriptor) on its next round
    }

    // ---------------------------------------------------------------- any thread (node shutdown)

    @Override
    public void abort(Throwable cause) {
      failed.invoke(cause);
    }

    @Override
    public long lastActivity() {
      long read = lastActivity;
      long write = wire.lastWrite();
      return write - read > 0 ? write : read;
    }
  }

  private static ByteBuffer[] buffers(ByteString bytes) {
    if (bytes.isCompact()) return new ByteBuffer[] {bytes.asByteBuffer()};
    List<ByteBuffer> parts = new ArrayList<>();
    for (ByteBuffer b : bytes.getByteBuffers()) parts.add(b);
    return parts.toArray(new ByteBuffer[0]);
  }
}
