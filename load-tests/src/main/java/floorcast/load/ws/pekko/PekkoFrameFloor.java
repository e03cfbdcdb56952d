package floorcast.load.ws.pekko;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.util.ByteString;

/**
 * The floor on pekko-http's frame-level path as Floorcast's gateway uses it ({@link InternalFrames}: the
 * {@code handleFrames} upgrade; {@link FrameFloorStage}: one stage per connection pulling from a bounded
 * {@link FrameQueue}). Every text message containing BROADCAST_TRACK is wrapped once in a text frame around its
 * received UTF-8 bytes, and that one frame object is offered to every open connection's queue (the sender included),
 * exactly as {@link floorcast.load.ws.FloorServer} relays it; other input is ignored. pekko-http's renderer only
 * writes the frame header and the shared payload per connection. Usage: PekkoFrameFloor &lt;port&gt; &lt;seconds&gt;
 * [capacity].
 */
public final class PekkoFrameFloor implements PekkoFloorServer.Floor, FrameFloorStage.Floor {
  private static final String MARKER = "BROADCAST_TRACK";

  private final Set<FrameFloorStage.Target> connections = ConcurrentHashMap.newKeySet();
  private final int capacity;
  private final AtomicLong broadcasts = new AtomicLong(), deliveries = new AtomicLong(), overflowCloses = new AtomicLong();

  private PekkoFrameFloor(int capacity) {
    this.capacity = capacity;
  }

  public static void main(String[] args) throws Exception {
    int capacity = PekkoFloorServer.queueCapacity(args);
    PekkoFloorServer.run("pekko-frame floor", args, system -> new PekkoFrameFloor(capacity));
  }

  @Override
  public HttpResponse accept(WebSocketUpgrade upgrade) {
    if (!InternalFrames.isFrameLevel(upgrade)) return HttpResponse.create().withStatus(StatusCodes.BAD_REQUEST);
    return InternalFrames.accept(upgrade, new FrameFloorStage(this, capacity));
  }

  @Override
  public void opened(FrameFloorStage.Target connection) {
    connections.add(connection);
  }

  @Override
  public void closed(FrameFloorStage.Target connection) {
    connections.remove(connection);
  }

  @Override
  public void overflowed(FrameFloorStage.Target connection) {
    overflowCloses.incrementAndGet();
    connections.remove(connection);
  }

  @Override
  public void text(ByteString utf8) {
    if (!utf8.utf8String().contains(MARKER)) return;
    broadcasts.incrementAndGet();
    FrameEvent frame = InternalFrames.text(utf8.compact());
    long delivered = 0;
    for (FrameFloorStage.Target c : connections) {
      if (c.offer(frame)) delivered++;
    }
    deliveries.addAndGet(delivered);
  }

  @Override
  public String stats() {
    return "broadcasts=" + broadcasts + " deliveries=" + deliveries + " overflow_closes=" + overflowCloses
        + " queue_capacity=" + capacity;
  }
}
