package floorcast.live.transport;

import floorcast.session.SessionMessage;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The bounded outbound queue of one connection, measured in payload bytes (protocol.md §14.2). Producers (the node
 * fan-out, the connection's own replies) never block: an offer is a short critical section. The single consumer is
 * the connection's stream stage, which polls when the socket can take more.
 *
 * <p>Direct mode ({@link #openDirect}): while nothing is queued, an offer writes its frame to the connection's
 * {@link Sink} (the socket) at once, under the queue's lock, so order holds between direct writes and queued frames.
 * Only a frame the sink refuses (busy socket) is queued; the stage then drains the queue into the sink
 * ({@link #drainTo}), several frames per write, when the sink tells it it has drained.
 *
 * <ul>
 *   <li>Above the soft limit (64 KiB) superseded messages are dropped: older LISTENER_COUNT, TEMPO_FEEDBACK,
 *       DJ_STATUS of the same session, older POLL_UPDATE of the same poll; LIKE_RECEIVED and REACTION_RECEIVED are
 *       dropped too. Direct replies ({@code message == null}) and other session messages are never dropped.
 *   <li>Still above the soft limit for the soft duration (10 s), or above the hard limit (1 MiB): the connection is too
 *       slow ({@link #TOO_SLOW}); the queue is discarded and refuses further frames.
 * </ul>
 */
final class OutboundQueue {
  /** Offer result bits. */
  static final int QUEUED = 0;
  /** The consumer was waiting for data: wake it up. */
  static final int WAKE = 1;
  /** The queue just went above the soft limit (after dropping what it could): arm the soft-duration check. */
  static final int SOFT_LIMIT = 2;
  /** The client is too slow: close it with 1013. */
  static final int TOO_SLOW = 4;
  /** The connection is closing: the frame was not queued. */
  static final int REFUSED = 8;
  /** Direct mode: the frame went to the sink at once. */
  static final int WRITTEN = 16;

  /** Frames written together at most by one {@link #drainTo}, and their payload bytes at most (unless one is larger). */
  static final int MAX_BATCH_FRAMES = 64;
  static final int MAX_BATCH_BYTES = 64 * 1024;

  /** Where frames go in direct mode: the connection's socket. Thread-safe, never blocks. */
  interface Sink {
    /** Writes {@code frame}, or refuses it (false) when busy or closed. */
    boolean tryWrite(Object frame);

    /** Writes {@code frames[0..count)} in order, or refuses all of them (false) when busy or closed. */
    boolean tryWrite(Object[] frames, int count);
  }

  /** A queued frame, or a close request ({@code frame == null}) that ends the stream after what precedes it. */
  record Entry(Object frame, int bytes, SessionMessage message, int closeCode, String closeReason) {
    boolean isClose() {
      return frame == null;
    }
  }

  private record SupersedeKey(Class<?> type, String sessionId, long pollId) {}

  private final int softBytes;
  private final int hardBytes;
  private final long softNanos;
  /** Re-scan for superseded entries only after this much growth, so a lagging queue costs O(n) per step, not per offer. */
  private final int pruneStep;
  /** Told how many entries each pruning dropped (the node's dropped-updates counter); called under the lock. */
  private final IntConsumer droppedListener;

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long bytes;
  private long bytesAfterPrune;
  private long aboveSoftSince; // System.nanoTime() when it went above soft after pruning; 0 = not above
  private boolean consumerWaiting;
  private boolean closed;
  private Sink direct;
  private long dropped;

  OutboundQueue(int softBytes, int hardBytes, long softNanos) {
    this(softBytes, hardBytes, softNanos, n -> {});
  }

  OutboundQueue(int softBytes, int hardBytes, long softNanos, IntConsumer droppedListener) {
    this.softBytes = softBytes;
    this.hardBytes = hardBytes;
    this.softNanos = softNanos;
    this.pruneStep = Math.max(1, softBytes / 4);
    this.droppedListener = droppedListener;
  }

  synchronized int offer(Object frame, int size, SessionMessage message, long nowNanos) {
    if (closed) return REFUSED;
    if (direct != null && entries.isEmpty() && direct.tryWrite(frame)) return WRITTEN;
    return enqueue(frame, size, message, nowNanos);
  }

  /**
   * {@code count} frames in order, as {@link #offer} each: in direct mode with nothing queued they go to the sink
   * with one write; else each is queued (superseded ones may be dropped), and the result bits are those of all the
   * offers ({@link #TOO_SLOW} alone once the queue gave up).
   */
  synchronized int offerAll(Object[] frames, int[] sizes, SessionMessage[] messages, int count, long nowNanos) {
    if (closed) return REFUSED;
    if (direct != null && entries.isEmpty() && direct.tryWrite(frames, count)) return WRITTEN;
    int result = QUEUED;
    for (int i = 0; i < count; i++) {
      int one = enqueue(frames[i], sizes[i], messages[i], nowNanos);
      if (one == TOO_SLOW) return TOO_SLOW;
      result |= one;
    }
    return result;
  }

  private int enqueue(Object frame, int size, SessionMessage message, long nowNanos) {
    entries.addLast(new Entry(frame, size, message, 0, null));
    bytes += size;
    int result = QUEUED;
    if (bytes > softBytes) {
      if (bytes - bytesAfterPrune >= pruneStep) {
        prune();
        if (bytes <= softBytes) aboveSoftSince = 0;
      }
      if (bytes > softBytes) {
        if (aboveSoftSince == 0) {
          aboveSoftSince = nowNanos == 0 ? 1 : nowNanos;
          result |= SOFT_LIMIT;
        }
        if (bytes > hardBytes || nowNanos - aboveSoftSince >= softNanos) {
          discardLocked();
          return TOO_SLOW;
        }
      }
    }
    if (consumerWaiting && direct == null) {
      consumerWaiting = false;
      result |= WAKE;
    }
    return result;
  }

  /** Queue a close after everything queued so far; later offers are refused. */
  synchronized int offerClose(int code, String reason) {
    if (closed) return REFUSED;
    entries.addLast(new Entry(null, 0, null, code, reason));
    closed = true;
    if (direct != null) return WAKE;
    if (consumerWaiting) {
      consumerWaiting = false;
      return WAKE;
    }
    return QUEUED;
  }

  /** Next entry, or null (the consumer is then marked waiting: the next offer answers {@link #WAKE}). */
  synchronized Entry poll() {
    Entry e = entries.pollFirst();
    if (e == null) {
      consumerWaiting = true;
      return null;
    }
    bytes -= e.bytes();
    if (bytes <= softBytes) {
      aboveSoftSince = 0;
      bytesAfterPrune = 0;
    }
    return e;
  }

  /**
   * Switches to direct mode (the stage, once the socket may take frames): later offers write to {@code sink} while
   * nothing is queued. The stage drains what is queued already with {@link #drainTo}.
   */
  synchronized void openDirect(Sink sink) {
    direct = sink;
  }

  /**
   * Direct mode, the stage: writes queued frames to the sink, up to {@link #MAX_BATCH_FRAMES} /
   * {@link #MAX_BATCH_BYTES} per write, until the queue is empty, the sink refuses (it tells the stage when it has
   * drained) or a close request is next, which is removed and returned (nothing is queued after it).
   */
  synchronized Entry drainTo(Sink sink) {
    Object[] batch = null;
    while (!entries.isEmpty()) {
      Entry first = entries.peekFirst();
      if (first.isClose()) return entries.pollFirst();
      if (batch == null) batch = new Object[Math.min(entries.size(), MAX_BATCH_FRAMES)];
      int n = 0;
      long batchBytes = 0;
      for (Entry e : entries) {
        if (e.isClose() || n == batch.length || (n > 0 && batchBytes + e.bytes() > MAX_BATCH_BYTES)) break;
        batch[n++] = e.frame();
        batchBytes += e.bytes();
      }
      if (!sink.tryWrite(batch, n)) return null;
      for (int i = 0; i < n; i++) entries.pollFirst();
      Arrays.fill(batch, 0, n, null);
      bytes -= batchBytes;
      if (bytes <= softBytes) {
        aboveSoftSince = 0;
        bytesAfterPrune = 0;
      }
    }
    return null;
  }

  /**
   * For the soft-duration timer: after dropping what can be dropped, 0 when the queue is back under the soft limit,
   * -1 when it has been above for the soft duration (too slow: the queue is discarded), else the nanos left.
   */
  synchronized long checkSlow(long nowNanos) {
    if (closed && entries.isEmpty()) return 0;
    if (bytes > softBytes) prune();
    if (bytes <= softBytes) {
      aboveSoftSince = 0;
      return 0;
    }
    if (aboveSoftSince == 0) aboveSoftSince = nowNanos == 0 ? 1 : nowNanos;
    long left = softNanos - (nowNanos - aboveSoftSince);
    if (left <= 0) {
      discardLocked();
      return -1;
    }
    return left;
  }

  /** Drop everything and refuse further frames (immediate close). */
  synchronized void discard() {
    discardLocked();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long dropped() {
    return dropped;
  }

  private void discardLocked() {
    entries.clear();
    bytes = 0;
    aboveSoftSince = 0;
    closed = true;
  }

  /** Newest first: keep the newest entry per supersede key, drop older ones and every droppable counter. */
  private void prune() {
    Entry[] all = entries.toArray(new Entry[0]);
    boolean[] drop = new boolean[all.length];
    Set<SupersedeKey> seen = new HashSet<>();
    boolean any = false;
    for (int i = all.length - 1; i >= 0; i--) {
      SessionMessage m = all[i].message();
      if (m == null || !m.supersedable()) continue;
      if (m instanceof SessionMessage.LikeReceived || m instanceof SessionMessage.ReactionReceived) {
        drop[i] = true;
      } else {
        long pollId = m instanceof SessionMessage.PollUpdate p ? p.pollId() : 0;
        drop[i] = !seen.add(new SupersedeKey(m.getClass(), m.sessionId(), pollId));
      }
      any |= drop[i];
    }
    if (any) {
      entries.clear();
      int droppedNow = 0;
      for (int i = 0; i < all.length; i++) {
        if (drop[i]) {
          bytes -= all[i].bytes();
          droppedNow++;
        } else {
          entries.addLast(all[i]);
        }
      }
      dropped += droppedNow;
      droppedListener.accept(droppedNow);
    }
    bytesAfterPrune = bytes;
  }
}
