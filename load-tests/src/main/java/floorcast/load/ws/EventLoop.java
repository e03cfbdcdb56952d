package floorcast.load.ws;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;

/** One thread: a selector plus a timer queue. Everything in a load process runs on it, so nothing is shared. */
final class EventLoop {
  /** Ready-operation callback of a registered channel. */
  interface Handler {
    void ready(SelectionKey key);
  }

  private record Timer(long at, long order, Runnable action) {}

  final Selector selector;
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
  private long order;

  EventLoop() throws IOException {
    selector = Selector.open();
  }

  void at(long nanos, Runnable action) {
    timers.add(new Timer(nanos, order++, action));
  }

  void after(long delayNanos, Runnable action) {
    at(System.nanoTime() + delayNanos, action);
  }

  /** Runs until the deadline (nanoTime). */
  void runUntil(long deadline) throws IOException {
    while (true) {
      long now = System.nanoTime();
      while (!timers.isEmpty() && timers.peek().at <= now) timers.poll().action.run();
      if (now >= deadline) return;
      long next = timers.isEmpty() ? deadline : Math.min(deadline, timers.peek().at);
      // Waits at least 1 ms when the next timer is less than that away: a timer fires up to ≈ 1 ms late (a DJ's
      // broadcast is stamped with its intended time, so that lateness counts against the server, never for it), but
      // the loop never spins on selectNow. It did: the handshake timeouts of a ramp's thousands of connections, due
      // a fraction of a millisecond apart, kept each load process busy-polling at 30 % of a core for ten seconds
      // after the ramp, on the two cores the node under test shares (docs/benchmarks.md "Session 12").
      long waitNanos = next - now;
      if (waitNanos <= 0) selector.selectNow(this::dispatch);
      else selector.select(this::dispatch, Math.max(1, (waitNanos + 999_999) / 1_000_000));
    }
  }

  private void dispatch(SelectionKey key) {
    if (key.isValid()) ((Handler) key.attachment()).ready(key);
  }
}
