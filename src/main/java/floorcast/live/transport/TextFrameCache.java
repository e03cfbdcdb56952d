package floorcast.live.transport;

/**
 * Text frames built once per node: the fan-out hands the same JSON string to every connection following a session,
 * so encoding it to UTF-8 and framing it is done for the first connection and reused by the rest (performance.md §7,
 * "pre-serialised frames shared across subscribers"). A single slot suffices because one broadcast is handed to all
 * its recipients in a row; a miss only costs one encoding. Immutable slot, no lock.
 */
final class TextFrameCache {
  private record Slot(String json, ServerFrame frame) {}

  private volatile Slot last = new Slot(null, null);

  ServerFrame encode(String json) {
    Slot slot = last;
    if (slot.json() == json) return slot.frame(); // identity on purpose: the node-wide rendered instance
    ServerFrame fresh = ServerFrame.text(json);
    last = new Slot(json, fresh);
    return fresh;
  }
}
