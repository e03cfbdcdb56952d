package floorcast.live.transport;

import floorcast.live.ConnectionHandler;
import floorcast.live.ConnectionHandlerFactory;
import floorcast.live.LiveMetrics;
import floorcast.net.SocketWire;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection at frame level, as a single stream stage (no sub-stream per message): inbound frames are
 * assembled into messages and handed to the {@link ConnectionHandler} strictly one at a time (protocol.md §1.2);
 * outbound frames are pulled from the connection's {@link OutboundQueue}, control frames first.
 *
 * <p>Frame-level duties that pekko-http's message API would otherwise do: answer Ping with Pong, assemble
 * continuation frames, decode binary as UTF-8 text (§1.2), echo the peer's Close, close 1001 when the node's
 * {@link KeepAliveTicker} (which also sends the keep-alive Pings, §1.1) finds the client silent for
 * {@code idle-timeout}, close 1009 for messages above the size limit. A closing connection waits
 * {@code close-timeout} for the peer's Close, then drops the socket. {@link ConnectionHandler#onClosed} runs exactly once, when closing begins (after an in-flight
 * message completes) or at the latest when the stage stops.
 *
 * <p>Outbound, two paths: over Floorcast's TCP transport the connection has a {@link SocketWire} and, once pekko-http
 * has handed the 101 response to it (the outlet's first pull), writes its frames there itself: producers straight
 * from their threads while nothing is queued ({@link OutboundQueue} direct mode), this stage the queued frames,
 * gathered, when the wire has drained, and the control frames. The outlet then carries nothing; it completes to close
 * the socket. Over pekko's TCP transport (no wire) every frame is pushed through the outlet to pekko-http's renderer.
 *
 * <p>Metrics: the connection counts as open from the stage's start to its stop, and its close is counted by the code
 * of the Close frame the server sent (its own, or the echo of the client's; 1005 for an echoed close without a code),
 * 1006 when the connection ended without one.
 */
final class ConnectionStage extends GraphStage<FlowShape<InboundFrame, Object>> {
  private static final Logger log = LoggerFactory.getLogger(ConnectionStage.class);
  static final int MAX_CONTROL_PAYLOAD = 125; // RFC 6455 §5.5 (also ClientPongFilter)

  private final Inlet<InboundFrame> in = Inlet.create("ws.frames.in");
  private final Outlet<Object> out = Outlet.create("ws.frames.out");
  private final FlowShape<InboundFrame, Object> shape = FlowShape.of(in, out);

  private final WebSocketChannel channel;
  private final SocketWire wire;
  private final ConnectionHandlerFactory handlers;
  private final LiveSettings settings;
  private final LiveConnections connections;
  private final LiveMetrics metrics;

  /** {@code wire}: the socket's direct write path, or null (pekko's TCP transport: frames go through the outlet). */
  ConnectionStage(
      WebSocketChannel channel,
      SocketWire wire,
      ConnectionHandlerFactory handlers,
      LiveSettings settings,
      LiveConnections connections,
      LiveMetrics metrics) {
    this.channel = channel;
    this.wire = wire;
    this.handlers = handlers;
    this.settings = settings;
    this.connections = connections;
    this.metrics = metrics;
  }

  @Override
  public FlowShape<InboundFrame, Object> shape() {
    return shape;
  }

  /** The connection was dropped without a closing handshake (peer silent after our Close). */
  static final class ClosingHandshakeTimeout extends RuntimeException {
    ClosingHandshakeTimeout(String connectionId) {
      super("peer did not complete the closing handshake: " + connectionId, null, false, false);
    }
  }

  private enum State {
    OPEN,
    /** An ordered close is queued behind outbound frames; inbound messages are no longer handled. */
    CLOSE_QUEUED,
    /** Our Close frame waits for the socket. */
    CLOSE_PENDING,
    /** Our Close frame was written; waiting for the peer's Close or the socket's end. */
    CLOSE_SENT
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  private final class Logic extends TimerGraphStageLogic implements WebSocketChannel.StageSignals {
    private static final String SOFT_TIMER = "soft-limit";
    private static final String CLOSE_TIMER = "closing";

    private final MessageAssembler assembler =
        new MessageAssembler(settings.maxMessageChars(), settings.maxMessageBytes());
    private final ArrayDeque<ServerFrame> control = new ArrayDeque<>(1); // a pending Pong
    private final OutboundQueue queue = channel.queue();

    private final AsyncCallback<Object> wakeCallback = createAsyncCallback(x -> pushIfPossible());
    private final AsyncCallback<Object> softCallback = createAsyncCallback(x -> armSoftTimer(settings.queueSoftDuration().toNanos()));
    private final AsyncCallback<Object> closeQueuedCallback = createAsyncCallback(x -> onCloseQueued());
    private final AsyncCallback<CloseRequest> closeNowCallback = createAsyncCallback(r -> closeNowLocal(r.code, r.reason));
    private final AsyncCallback<Object> tooSlowCallback = createAsyncCallback(x -> closeTooSlow());
    private final AsyncCallback<Throwable> handlerDoneCallback = createAsyncCallback(this::onHandlerDone);
    private final AsyncCallback<Object> idleCallback = createAsyncCallback(x -> onIdle());
    private final OutboundQueue.Sink sink =
        new OutboundQueue.Sink() {
          @Override
          public boolean tryWrite(Object frame) {
            return writeToWire((ServerFrame) frame);
          }

          @Override
          public boolean tryWrite(Object[] frames, int count) {
            ByteBuffer[] buffers = new ByteBuffer[count];
            for (int i = 0; i < count; i++) buffers[i] = ((ServerFrame) frames[i]).buffer();
            return wire.tryWrite(buffers);
          }
        };

    private ConnectionHandler handler;
    private State state = State.OPEN;
    private boolean direct; // frames go to the wire (after the outlet's first pull, when there is one)
    private ServerFrame closeFrame; // our Close, once decided
    private int closeCode; // the code of closeFrame (metrics); 0 = none
    private boolean peerClosed;
    private boolean handlerBusy;
    private boolean closedNotified;

    // the current frame (payload may come in several pieces)
    private int frameOpcode = -1;
    private boolean frameFin;
    private ByteString controlPayload = ByteString.emptyByteString();

    Logic() {
      super(shape);
      setHandler(in, new AbstractInHandler() {
        @Override
        public void onPush() {
          onFrame(grab(in));
        }

        @Override
        public void onUpstreamFinish() {
          completeStage(); // TCP gone: nothing more can be written either
        }

        @Override
        public void onUpstreamFailure(Throwable ex) {
          log.debug("connection {} inbound failed: {}", channel.connectionId(), ex.toString());
          completeStage();
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          if (wire != null && !direct) openDirect();
          pushIfPossible();
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          completeStage();
        }
      });
    }

    @Override
    public void preStart() {
      channel.attach(this);
      metrics.connectionOpened();
      connections.register(channel);
      try {
        handler = handlers.create(channel);
      } catch (RuntimeException e) {
        log.error("connection handler could not be created for {}", channel.connectionId(), e);
        closedNotified = true; // no handler to notify
        closeNowLocal(CloseCodes.INTERNAL_ERROR, "Internal server error");
        pull(in);
        return;
      }
      pull(in);
    }

    @Override
    public void postStop() {
      queue.discard();
      // counted before the connection leaves the registry: whoever sees it gone also sees its close counted
      metrics.connectionClosed(closeCode == 0 ? CloseCodes.ABNORMAL : closeCode);
      connections.unregister(channel);
      notifyClosed(true);
    }

    // ---- StageSignals (any thread) ----

    @Override
    public void wake() {
      wakeCallback.invoke(null);
    }

    @Override
    public void softLimitReached() {
      softCallback.invoke(null);
    }

    @Override
    public void closeNow(int code, String reason) {
      closeNowCallback.invoke(new CloseRequest(code, reason));
    }

    @Override
    public void tooSlow() {
      tooSlowCallback.invoke(null);
    }

    @Override
    public void closeQueued() {
      closeQueuedCallback.invoke(null);
    }

    @Override
    public void idle() {
      idleCallback.invoke(null);
    }

    // ---- inbound ----

    private void onFrame(InboundFrame f) {
      channel.inboundSeen(System.nanoTime());
      if (f.protocolError() != null) {
        protocolError(f.protocolError());
        return;
      }
      if (f.start()) {
        frameOpcode = f.opcode();
        frameFin = f.fin();
        if (f.reservedBits()) {
          protocolError("reserved bits set without extension");
          return;
        }
        if (f.isControl()) {
          if (!f.fin() || f.length() > MAX_CONTROL_PAYLOAD) {
            protocolError("invalid control frame");
            return;
          }
          controlPayload = f.data();
        } else if (!startDataFrame(f)) {
          return;
        }
      } else if (frameOpcode >= 0 && (frameOpcode & 0x8) != 0) {
        controlPayload = controlPayload.concat(f.data());
      } else if (!appendData(f.data())) {
        return;
      }
      if (f.lastPart()) {
        if ((frameOpcode & 0x8) != 0) {
          onControlFrame(frameOpcode, controlPayload);
          controlPayload = ByteString.emptyByteString();
        } else if (frameFin && state == State.OPEN && assembler.inMessage()) {
          String text = assembler.finish();
          if (text == null) {
            tooLarge();
          } else {
            deliver(text);
          }
        }
      }
      pullIfIdle();
    }

    /** False when the connection is being closed because of this frame. */
    private boolean startDataFrame(InboundFrame f) {
      int op = f.opcode();
      if (op == InboundFrame.TEXT || op == InboundFrame.BINARY) {
        if (assembler.inMessage()) {
          protocolError("new message inside a fragmented message");
          return false;
        }
        if (state == State.OPEN) assembler.begin();
      } else if (op == InboundFrame.CONTINUATION) {
        if (!assembler.inMessage() && state == State.OPEN) {
          protocolError("continuation frame without a message");
          return false;
        }
      } else {
        protocolError("unknown opcode " + op);
        return false;
      }
      if (state != State.OPEN) return true; // closing: data is read and discarded
      if (!assembler.admitsFrame(f.length())) {
        tooLarge();
        return false;
      }
      return appendData(f.data());
    }

    private boolean appendData(ByteString data) {
      if (state != State.OPEN || !assembler.inMessage()) return true;
      if (!assembler.append(data)) {
        tooLarge();
        return false;
      }
      return true;
    }

    private void onControlFrame(int opcode, ByteString payload) {
      if (opcode == InboundFrame.PING) {
        if (closeFrame == null) {
          control.clear(); // only the latest ping needs an answer (RFC 6455 §5.5.3): a ping flood stays bounded
          control.addLast(ServerFrame.pong(payload));
          pushIfPossible();
        }
      } else if (opcode == InboundFrame.CLOSE) {
        onPeerClose(payload);
      }
      // PONG: the inbound timestamp is all it is good for
    }

    private void onPeerClose(ByteString payload) {
      peerClosed = true;
      if (state == State.CLOSE_SENT) {
        completeStage(); // closing handshake done: the server closes the TCP connection first (RFC 6455 §7.1.1)
        return;
      }
      // echo the peer's status code (RFC 6455 §5.5.1); our own pending close is superseded by the echo
      queue.discard();
      if (payload.length() >= 2) {
        int code = ((payload.apply(0) & 0xFF) << 8) | (payload.apply(1) & 0xFF);
        closeCode = CloseCodes.sendable(code);
        closeFrame = ServerFrame.close(closeCode, "");
      } else {
        closeCode = CloseCodes.NO_STATUS;
        closeFrame = ServerFrame.emptyClose();
      }
      control.clear();
      state = State.CLOSE_PENDING;
      armCloseTimer();
      notifyClosed(false);
      pushIfPossible();
    }

    private void deliver(String text) {
      handlerBusy = true;
      CompletionStage<Void> done;
      try {
        done = handler.onText(text);
      } catch (RuntimeException e) {
        log.error("connection handler failed on {}", channel.connectionId(), e);
        done = CompletableFuture.completedFuture(null);
      }
      if (done instanceof CompletableFuture<Void> f && f.isDone()) {
        onHandlerDone(f.isCompletedExceptionally() ? new IllegalStateException("handler stage failed") : null);
      } else if (done == null) {
        onHandlerDone(null);
      } else {
        done.whenComplete((ok, error) -> handlerDoneCallback.invoke(error));
      }
    }

    private void onHandlerDone(Throwable error) {
      if (error != null) log.warn("connection handler stage failed on {}: {}", channel.connectionId(), error.toString());
      handlerBusy = false;
      channel.inboundSeen(System.nanoTime()); // time spent in the handler is not client silence
      if (state != State.OPEN) notifyClosed(false);
      pullIfIdle();
    }

    private void pullIfIdle() {
      if (!handlerBusy && !isClosed(in) && !hasBeenPulled(in)) pull(in);
    }

    // ---- outbound ----

    private void pushIfPossible() {
      if (direct) {
        writeIfPossible();
      } else {
        pushToOutlet();
      }
    }

    /** Over pekko's transport: the next frame through the outlet, control frames first. */
    private void pushToOutlet() {
      if (!isAvailable(out)) return;
      if (!control.isEmpty()) {
        push(out, FrameLevelUpgrade.frameEvent(control.pollFirst()));
        return;
      }
      if (state == State.CLOSE_PENDING) {
        push(out, FrameLevelUpgrade.frameEvent(closeFrame));
        closeFrameSent();
        return;
      }
      if (state == State.CLOSE_SENT) return;
      OutboundQueue.Entry next = queue.poll();
      if (next == null) return; // the queue wakes us on the next offer
      if (next.isClose()) {
        decideClose(next);
        push(out, FrameLevelUpgrade.frameEvent(closeFrame));
        closeFrameSent();
      } else {
        push(out, FrameLevelUpgrade.frameEvent((ServerFrame) next.frame()));
      }
    }

    /** The outlet was pulled: pekko-http has handed the 101 to the wire, frames may go there now. */
    private void openDirect() {
      direct = true;
      wire.onProducerDrained(() -> wakeCallback.invoke(null));
      queue.openDirect(sink);
    }

    /** Over Floorcast's transport: control frames, then what is queued, each as far as the wire takes it now. */
    private void writeIfPossible() {
      while (!control.isEmpty()) {
        if (!writeToWire(control.peekFirst())) return; // the wire wakes us when it has drained
        control.pollFirst();
      }
      if (state == State.CLOSE_SENT) return;
      if (state != State.CLOSE_PENDING) {
        OutboundQueue.Entry close = queue.drainTo(sink);
        if (close == null) return;
        decideClose(close);
        state = State.CLOSE_PENDING;
      }
      if (writeToWire(closeFrame)) closeFrameSent();
    }

    /** Any thread: the producers' direct writes (through the queue's sink, under its lock) and this stage's. */
    private boolean writeToWire(ServerFrame frame) {
      return wire.tryWrite(frame.buffer());
    }

    /** A queued close request reached the head: it becomes our Close frame. */
    private void decideClose(OutboundQueue.Entry close) {
      closeCode = close.closeCode();
      closeFrame = ServerFrame.close(closeCode, close.closeReason());
    }

    /** Our Close frame is on its way (pushed, or on the wire): wait for the peer's, or finish after an echo. */
    private void closeFrameSent() {
      state = State.CLOSE_SENT;
      armCloseTimer();
      notifyClosed(false);
      if (peerClosed) complete(out); // we echoed the peer's Close: done once it is written
    }

    /** Ordered close (handler request, idle, too large): frames queued before are written first. */
    private void closeQueuedLocal(int code, String reason) {
      if ((queue.offerClose(code, reason) & OutboundQueue.REFUSED) != 0) return;
      onCloseQueued();
      pushIfPossible();
    }

    private void onCloseQueued() {
      if (state == State.OPEN) state = State.CLOSE_QUEUED;
      armCloseTimer();
      notifyClosed(false);
    }

    /** 1013 for a client whose queue overflowed or stayed above the soft limit (§14.2). */
    private void closeTooSlow() {
      if (closeNowLocal(CloseCodes.TRY_AGAIN_LATER, CloseCodes.CLIENT_TOO_SLOW)) metrics.slowClientClosed();
    }

    /** Immediate close: what is still queued is dropped (too slow, shutdown, failures). False if already closing. */
    private boolean closeNowLocal(int code, String reason) {
      if (closeFrame != null || state == State.CLOSE_SENT) return false;
      queue.discard();
      closeCode = CloseCodes.sendable(code);
      closeFrame = ServerFrame.close(closeCode, reason);
      state = State.CLOSE_PENDING;
      if (code == CloseCodes.TRY_AGAIN_LATER) log.info("closing {} ({}): {}", channel.connectionId(), channel.clientIp(), reason);
      armCloseTimer();
      notifyClosed(false);
      pushIfPossible();
      return true;
    }

    private void tooLarge() {
      assembler.finish();
      closeQueuedLocal(CloseCodes.TOO_BIG, CloseCodes.MESSAGE_TOO_LARGE); // §1.2
      pullIfIdle();
    }

    private void protocolError(String detail) {
      log.debug("protocol error on {}: {}", channel.connectionId(), detail);
      closeNowLocal(CloseCodes.PROTOCOL_ERROR, "Protocol error");
      pullIfIdle();
    }

    private void notifyClosed(boolean stopping) {
      if (closedNotified || handler == null) return;
      if (handlerBusy && !stopping) return; // after the in-flight message completes
      closedNotified = true;
      try {
        handler.onClosed();
      } catch (RuntimeException e) {
        log.error("connection handler onClosed failed on {}", channel.connectionId(), e);
      }
    }

    /** The ticker found the client silent for the idle timeout; a message still in hand is not silence. */
    private void onIdle() {
      if (state == State.OPEN && !handlerBusy) closeQueuedLocal(CloseCodes.GOING_AWAY, CloseCodes.IDLE_TIMEOUT); // §1.1
    }

    // ---- timers ----

    private void armCloseTimer() {
      if (!isTimerActive(CLOSE_TIMER)) scheduleOnce(CLOSE_TIMER, settings.closeTimeout());
    }

    private void armSoftTimer(long nanos) {
      if (state == State.CLOSE_SENT || closeFrame != null) return;
      if (!isTimerActive(SOFT_TIMER)) scheduleOnce(SOFT_TIMER, Duration.ofNanos(Math.max(nanos, 1_000_000)));
    }

    @Override
    public void onTimer(Object key) {
      if (SOFT_TIMER.equals(key)) {
        long left = queue.checkSlow(System.nanoTime());
        if (left < 0) {
          closeTooSlow();
        } else if (left > 0) {
          armSoftTimer(left);
        }
      } else if (CLOSE_TIMER.equals(key)) {
        failStage(new ClosingHandshakeTimeout(channel.connectionId()));
      }
    }
  }

  private record CloseRequest(int code, String reason) {}
}
