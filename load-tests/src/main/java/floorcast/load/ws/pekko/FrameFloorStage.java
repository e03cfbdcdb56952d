package floorcast.load.ws.pekko;

import org.apache.pekko.http.impl.engine.ws.FrameData;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameEventOrError;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One frame-level connection of {@link PekkoFrameFloor}, as one stream stage the way Floorcast's ConnectionStage
 * works, reduced to what the floor needs: inbound (already unmasked) frames are assembled into messages; a complete
 * text message goes to the floor; Ping is answered with Pong, a peer Close is echoed and ends the connection.
 * Outbound frames are pulled from the connection's {@link FrameQueue} (the floor's producers wake the stage through
 * an async callback only when it waits for data); a full queue sends Close 1013 and drops the connection. No
 * keep-alive and no idle timer, like the other floors. Messages above 1 MiB (the NIO floor's limit) close with 1009.
 */
final class FrameFloorStage extends GraphStage<FlowShape<FrameEventOrError, FrameEvent>> {
  /** The floor's side of a connection: any thread may offer. */
  interface Target {
    /** True when the frame was queued. */
    boolean offer(FrameEvent frame);
  }

  /** What the stage tells the floor. */
  interface Floor {
    void opened(Target connection);

    void closed(Target connection);

    void overflowed(Target connection);

    /** A complete text message from the client. */
    void text(ByteString utf8);
  }

  private static final int TEXT = 0x1, CONTINUATION = 0x0, CLOSE = 0x8, PING = 0x9;
  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final Inlet<FrameEventOrError> in = Inlet.create("floor.frames.in");
  private final Outlet<FrameEvent> out = Outlet.create("floor.frames.out");
  private final FlowShape<FrameEventOrError, FrameEvent> shape = FlowShape.of(in, out);
  private final Floor floor;
  private final int capacity;

  FrameFloorStage(Floor floor, int capacity) {
    this.floor = floor;
    this.capacity = capacity;
  }

  @Override
  public FlowShape<FrameEventOrError, FrameEvent> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  private final class Logic extends GraphStageLogic implements Target {
    private final FrameQueue queue = new FrameQueue(capacity);
    private final AsyncCallback<Object> wake = createAsyncCallback(x -> pushIfPossible());
    private final AsyncCallback<Object> overflow = createAsyncCallback(x -> closeWith(InternalFrames.close(1013, "queue full")));

    private FrameEvent pong;
    private FrameEvent closeFrame;
    private int frameOpcode = -1;
    private boolean frameFin;
    private int messageOpcode = -1;
    private ByteString message = ByteString.emptyByteString();
    private ByteString control = ByteString.emptyByteString();

    Logic() {
      super(shape);
      setHandler(in, new AbstractInHandler() {
        @Override
        public void onPush() {
          onFrame(grab(in));
          if (!isClosed(in) && !hasBeenPulled(in)) pull(in);
        }

        @Override
        public void onUpstreamFinish() {
          completeStage(); // TCP gone
        }

        @Override
        public void onUpstreamFailure(Throwable ex) {
          completeStage();
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
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
      floor.opened(this);
      pull(in);
    }

    @Override
    public void postStop() {
      queue.close();
      floor.closed(this);
    }

    // any thread
    @Override
    public boolean offer(FrameEvent frame) {
      switch (queue.offer(frame)) {
        case QUEUED:
          return true;
        case WAKE:
          wake.invoke(null);
          return true;
        case FULL:
          floor.overflowed(this);
          overflow.invoke(null);
          return false;
        default:
          return false;
      }
    }

    private void onFrame(FrameEventOrError event) {
      if (closeFrame != null) return;
      boolean lastPart;
      ByteString data;
      if (event instanceof FrameStart start) {
        frameOpcode = start.header().opcode().code() & 0xF;
        frameFin = start.header().fin();
        data = start.data();
        lastPart = start.lastPart();
        if ((frameOpcode & 0x8) != 0) {
          control = data;
          data = null;
        } else if (frameOpcode != CONTINUATION) {
          messageOpcode = frameOpcode;
          message = ByteString.emptyByteString();
        }
      } else if (event instanceof FrameData part) {
        data = part.data();
        lastPart = part.lastPart();
        if ((frameOpcode & 0x8) != 0) {
          control = control.concat(data);
          data = null;
        }
      } else { // FrameError: broken framing or an unmasked client frame
        closeWith(InternalFrames.close(1002, "protocol error"));
        return;
      }
      if (data != null) {
        message = message.concat(data);
        if (message.length() > MAX_MESSAGE_BYTES) {
          closeWith(InternalFrames.close(1009, "message too big"));
          return;
        }
      }
      if (!lastPart) return;
      if (frameOpcode == PING) {
        pong = InternalFrames.pong(control);
        pushIfPossible();
      } else if (frameOpcode == CLOSE) {
        closeWith(control.length() >= 2
            ? InternalFrames.close(((control.apply(0) & 0xFF) << 8) | (control.apply(1) & 0xFF), "")
            : InternalFrames.emptyClose());
      } else if ((frameOpcode & 0x8) == 0 && frameFin) {
        if (messageOpcode == TEXT) floor.text(message);
        message = ByteString.emptyByteString();
        messageOpcode = -1;
      }
    }

    private void closeWith(FrameEvent close) {
      if (closeFrame != null) return;
      closeFrame = close;
      queue.close();
      pushIfPossible();
    }

    private void pushIfPossible() {
      if (!isAvailable(out)) return;
      if (closeFrame != null) {
        push(out, closeFrame);
        completeStage(); // the Close is written before the connection ends
        return;
      }
      if (pong != null) {
        push(out, pong);
        pong = null;
        return;
      }
      Object next = queue.poll();
      if (next != null) push(out, (FrameEvent) next); // else the next offer wakes us
    }
  }
}
