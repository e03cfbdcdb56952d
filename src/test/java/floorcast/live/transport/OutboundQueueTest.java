package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.session.SessionMessage;
import floorcast.session.TrackInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** protocol.md §14.2 superseding and slow-client rules of the per-connection queue. */
class OutboundQueueTest {
  static final int SOFT = 64 * 1024;
  static final int HARD = 1024 * 1024;
  static final long TEN_S = TimeUnit.SECONDS.toNanos(10);
  static final int KB = 1024;

  /** What the queue reported to the node's dropped-updates counter. */
  final AtomicInteger reportedDrops = new AtomicInteger();

  final OutboundQueue queue = new OutboundQueue(SOFT, HARD, TEN_S, reportedDrops::addAndGet);

  List<Object> drain() {
    List<Object> out = new ArrayList<>();
    for (OutboundQueue.Entry e = queue.poll(); e != null; e = queue.poll()) out.add(e.frame());
    return out;
  }

  @Test
  void belowTheSoftLimitNothingIsDropped() {
    for (int i = 0; i < 60; i++) queue.offer("lc" + i, KB, new SessionMessage.ListenerCount("s", i + 1, i), 1);
    assertEquals(60, queue.size());
    assertEquals(60 * KB, queue.bytes());
  }

  @Test
  void aboveTheSoftLimitOnlyTheNewestSupersedableOfEachKindSurvives() {
    queue.offer("reply-1", 70 * KB, null, 1); // direct reply above the soft limit on its own: never dropped
    queue.offer("np", KB, new SessionMessage.NowPlaying("s", 1, "dj", TrackInfo.of("t", "a")), 1);
    for (int i = 0; i < 10; i++) {
      queue.offer("lc-s-" + i, KB, new SessionMessage.ListenerCount("s", 10 + i, i), 1);
      queue.offer("lc-other-" + i, KB, new SessionMessage.ListenerCount("other", 10 + i, i), 1);
      queue.offer("poll1-" + i, KB, new SessionMessage.PollUpdate("s", 30 + i, 1, List.of(i), i), 1);
      queue.offer("poll2-" + i, KB, new SessionMessage.PollUpdate("s", 30 + i, 2, List.of(i), i), 1);
      queue.offer("like-" + i, KB, new SessionMessage.LikeReceived("s", 50 + i, TrackInfo.of("t", "a"), 1), 1);
      queue.offer("tempo-" + i, KB, new SessionMessage.TempoFeedback("s", 60 + i, 1, 0, 0, 1), 1);
      queue.offer("dj-" + i, KB, new SessionMessage.DjStatus("s", 70 + i, i % 2 == 0), 1);
    }
    int result = queue.offer("reply-2", KB, null, 1);
    assertEquals(0, result & OutboundQueue.TOO_SLOW);
    assertTrue(queue.bytes() < (70 + 2 + 8 + 16) * KB, "superseded entries are dropped while growing: " + queue.bytes());
    assertTrue(queue.checkSlow(2) > 0, "the soft-limit check drops the rest, still above soft");
    List<Object> left = drain();
    assertEquals(
        List.of("reply-1", "np", "lc-s-9", "lc-other-9", "poll1-9", "poll2-9", "tempo-9", "dj-9", "reply-2"),
        left);
    assertEquals(7 * 10 - 6, queue.dropped(), "every superseded entry and every like");
    assertEquals(queue.dropped(), reportedDrops.get(), "each drop is reported once");
  }

  /** A sink recording each write as the list of its frames; refuses writes while {@code busy}. */
  static final class RecordingSink implements OutboundQueue.Sink {
    final List<List<Object>> writes = new ArrayList<>();
    boolean busy;

    @Override
    public boolean tryWrite(Object frame) {
      if (busy) return false;
      writes.add(List.of(frame));
      return true;
    }

    @Override
    public boolean tryWrite(Object[] frames, int count) {
      if (busy) return false;
      writes.add(List.of(java.util.Arrays.copyOf(frames, count)));
      return true;
    }
  }

  @Test
  void framesOfferedTogetherGoToAnIdleSocketInOneWriteAndQueueInOrderBehindABusyOne() {
    RecordingSink sink = new RecordingSink();
    queue.openDirect(sink);
    SessionMessage[] messages = {new SessionMessage.TempoReset("s", 1), new SessionMessage.ListenerCount("s", 2, 3)};
    int result = queue.offerAll(new Object[] {"reset-1", "np-2"}, new int[] {KB, KB}, messages, 2, 1);
    assertEquals(OutboundQueue.WRITTEN, result);
    assertEquals(List.of(List.of("reset-1", "np-2")), sink.writes);
    assertEquals(0, queue.size());

    sink.busy = true;
    queue.offer("reply", KB, null, 1);
    result = queue.offerAll(new Object[] {"reset-3", "np-4"}, new int[] {KB, KB}, messages, 2, 1);
    assertEquals(0, result & (OutboundQueue.WRITTEN | OutboundQueue.REFUSED | OutboundQueue.TOO_SLOW));
    assertEquals(3, queue.size(), "queued behind the refused reply");
    sink.busy = false;
    assertNull(queue.drainTo(sink));
    assertEquals(List.of("reply", "reset-3", "np-4"), sink.writes.get(1), "in order, drained together");

    queue.offerClose(1000, "bye");
    assertEquals(OutboundQueue.REFUSED, queue.offerAll(new Object[] {"late"}, new int[] {KB}, messages, 1, 2));
  }

  @Test
  void framesOfferedTogetherPastTheHardLimitAreTooSlow() {
    queue.offer("big", HARD - KB, null, 1);
    SessionMessage[] messages = {new SessionMessage.TempoReset("s", 1), new SessionMessage.ListenerCount("s", 2, 3)};
    int result = queue.offerAll(new Object[] {"reset", "np"}, new int[] {KB, KB}, messages, 2, 1);
    assertEquals(OutboundQueue.TOO_SLOW, result);
    assertEquals(0, queue.size(), "discarded");
  }

  @Test
  void exceedingTheHardLimitIsTooSlowEvenWithNothingDroppable() {
    int result = 0;
    for (int i = 0; i < 1100 && (result & OutboundQueue.TOO_SLOW) == 0; i++) {
      result = queue.offer("np" + i, KB, new SessionMessage.NowPlaying("s", i + 1, "dj", TrackInfo.of("t", "a")), 1);
    }
    assertTrue((result & OutboundQueue.TOO_SLOW) != 0);
    assertEquals(0, queue.size(), "discarded");
    assertEquals(OutboundQueue.REFUSED, queue.offer("late", KB, null, 2), "a closing queue refuses frames");
  }

  @Test
  void aboveTheSoftLimitForTheSoftDurationIsTooSlow() {
    long t0 = 1_000;
    int first = 0;
    for (int i = 0; i < 70; i++) first |= queue.offer("reply" + i, KB, null, t0);
    assertTrue((first & OutboundQueue.SOFT_LIMIT) != 0, "going above soft is reported once");
    assertTrue(queue.checkSlow(t0 + TEN_S / 2) > 0, "still within the soft duration");
    assertEquals(0, queue.offer("more", KB, null, t0 + TEN_S - 1) & OutboundQueue.TOO_SLOW);
    assertEquals(-1, queue.checkSlow(t0 + TEN_S));
    assertEquals(0, queue.size());
  }

  @Test
  void drainingBelowTheSoftLimitResetsTheClock() {
    long t0 = 1_000;
    for (int i = 0; i < 70; i++) queue.offer("r" + i, KB, null, t0);
    for (int i = 0; i < 10; i++) queue.poll();
    assertEquals(0, queue.checkSlow(t0 + TEN_S * 2), "under soft again: not slow");
    for (int i = 0; i < 10; i++) queue.offer("s" + i, KB, null, t0 + TEN_S * 3);
    assertTrue(queue.checkSlow(t0 + TEN_S * 3 + 1) > 0, "a fresh 10 s window");
  }

  @Test
  void theConsumerIsWokenOnlyWhenItWaits() {
    assertNull(queue.poll());
    assertEquals(OutboundQueue.WAKE, queue.offer("a", 10, null, 1));
    assertEquals(OutboundQueue.QUEUED, queue.offer("b", 10, null, 1));
    assertEquals(2, drain().size());
    assertEquals(OutboundQueue.WAKE, queue.offerClose(1008, "Too many invalid messages"));
    OutboundQueue.Entry close = queue.poll();
    assertTrue(close.isClose());
    assertEquals(1008, close.closeCode());
    assertEquals(OutboundQueue.REFUSED, queue.offer("after close", 10, null, 1));
  }
}
