package floorcast.live.transport;

import floorcast.live.ClientChannel;
import floorcast.session.SessionMessage;

/**
 * The producer side of one connection ({@link ClientChannel}): any thread may send or close. A frame goes through the
 * connection's {@link OutboundQueue}: straight to the socket when nothing is queued and the socket takes it (direct
 * mode, Floorcast's TCP transport), else into the queue, and the connection's stream stage is woken only when it
 * waits for data; so a broadcast costs one short critical section and at most one non-blocking write per recipient
 * (protocol.md §14.2: fan-out never waits for a client).
 */
final class WebSocketChannel implements ClientChannel {
  /** What the channel asks of its stream stage; thread-safe (asynchronous callbacks into the stage). */
  interface StageSignals {
    void wake();

    void softLimitReached();

    /** Close now with this code, dropping what is still queued (1012 shutdown). */
    void closeNow(int code, String reason);

    /** The queue found the client too slow: close now with 1013 (§14.2). */
    void tooSlow();

    /** An ordered close was queued: stop handling inbound messages. */
    void closeQueued();

    /** Nothing came in for the idle timeout (the keep-alive ticker): close with 1001 unless a message is in hand. */
    void idle();
  }

  private final String connectionId;
  private final String clientIp;
  private final OutboundQueue queue;
  private final TextFrameCache frames;
  private volatile StageSignals signals;
  /** System.nanoTime() of the last inbound frame or handled message (written by the stage). */
  private volatile long lastInbound = System.nanoTime();
  // --- the keep-alive ticker's own (one thread at a time)
  private long nextPing;
  private long nextIdleCheck;
  private boolean ticked;

  WebSocketChannel(String connectionId, String clientIp, OutboundQueue queue, TextFrameCache frames) {
    this.connectionId = connectionId;
    this.clientIp = clientIp;
    this.queue = queue;
    this.frames = frames;
  }

  void attach(StageSignals stage) {
    this.signals = stage;
  }

  OutboundQueue queue() {
    return queue;
  }

  @Override
  public String connectionId() {
    return connectionId;
  }

  @Override
  public String clientIp() {
    return clientIp;
  }

  @Override
  public void send(String json, SessionMessage message) {
    if (json == null) return;
    ServerFrame frame = frames.encode(json);
    offer(frame, frame.payloadLength(), message, System.nanoTime());
  }

  @Override
  public void sendAll(String[] jsons, SessionMessage[] messages, int count) {
    if (count == 1) {
      send(jsons[0], messages[0]);
      return;
    }
    ServerFrame[] encoded = new ServerFrame[count];
    int[] sizes = new int[count];
    SessionMessage[] kept = new SessionMessage[count];
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (jsons[i] == null) continue;
      encoded[n] = frames.encode(jsons[i]);
      sizes[n] = encoded[n].payloadLength();
      kept[n++] = messages[i];
    }
    if (n == 0) return;
    signal(queue.offerAll(encoded, sizes, kept, n, System.nanoTime()));
  }

  private void offer(ServerFrame frame, int bytes, SessionMessage message, long now) {
    signal(queue.offer(frame, bytes, message, now));
  }

  /** Acts on an offer's result bits. */
  private void signal(int result) {
    if (result == OutboundQueue.QUEUED || (result & (OutboundQueue.REFUSED | OutboundQueue.WRITTEN)) != 0) return;
    StageSignals stage = signals;
    if ((result & OutboundQueue.TOO_SLOW) != 0) {
      stage.tooSlow();
      return;
    }
    if ((result & OutboundQueue.SOFT_LIMIT) != 0) stage.softLimitReached();
    if ((result & OutboundQueue.WAKE) != 0) stage.wake();
  }

  @Override
  public void close(int code, String reason) {
    int result = queue.offerClose(CloseCodes.serverInitiated(code), reason == null ? "" : reason);
    if ((result & OutboundQueue.REFUSED) != 0) return;
    StageSignals stage = signals;
    stage.closeQueued();
    if ((result & OutboundQueue.WAKE) != 0) stage.wake();
  }

  /** The stage saw the client (a frame, or the end of handling its message). */
  void inboundSeen(long nanos) {
    lastInbound = nanos;
  }

  /**
   * The keep-alive ticker's visit: a protocol Ping when one is due (§1.1; through the queue like any frame, refused
   * once the connection closes), and the stage told when the client has been silent for {@code idleNanos}.
   */
  void keepAlive(long now, long pingNanos, long idleNanos) {
    if (!ticked) {
      ticked = true;
      nextPing = now + pingNanos;
      nextIdleCheck = now;
    }
    StageSignals stage = signals;
    if (stage == null) return;
    if (now - nextPing >= 0) {
      nextPing = now + pingNanos;
      offer(ServerFrame.ping(), 0, null, now);
    }
    if (now - nextIdleCheck >= 0 && now - lastInbound >= idleNanos) {
      nextIdleCheck = now + idleNanos; // one report per idle period; the stage decides
      stage.idle();
    }
  }

  /** Close at once, dropping queued frames (graceful node shutdown, §7.6). */
  void closeNow(int code, String reason) {
    StageSignals stage = signals;
    if (stage != null) stage.closeNow(code, reason);
  }
}
