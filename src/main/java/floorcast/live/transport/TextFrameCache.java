package floorcast.live.transport;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Text frames built once per node: the fan-out hands the same JSON string instance to every connection following a
 * session, so encoding it to UTF-8 and framing it is done for the first connection and reused by the rest
 * (performance.md §7, "pre-serialised frames shared across subscribers").
 *
 * <p>Several messages are in flight at once: the two of a track change (TEMPO_RESET, NOW_PLAYING) are handed to
 * each connection together, the fan-out lanes work on different connections in parallel, and on a busy node many
 * sessions broadcast at the same time. So the cache holds {@value #SLOTS} frames, direct-mapped by the string's
 * identity hash (a single slot made every connection of a track change encode both frames again, as the two
 * evicted each other). A miss, or two hot strings sharing a slot, only costs an encoding. Immutable slots, no lock.
 */
final class TextFrameCache {
  static final int SLOTS = 64;

  private record Slot(String json, ServerFrame frame) {}

  private final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);

  ServerFrame encode(String json) {
    int index = System.identityHashCode(json) & (SLOTS - 1);
    Slot slot = slots.getAcquire(index);
    if (slot != null && slot.json() == json) return slot.frame(); // identity on purpose: the node-wide rendered instance
    ServerFrame fresh = ServerFrame.text(json);
    slots.setRelease(index, new Slot(json, fresh));
    return fresh;
  }
}
