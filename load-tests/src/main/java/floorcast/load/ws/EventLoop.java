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
      long waitMs = Math.max(0, (next - now) / 1_000_000);
      if (waitMs == 0) selector.selectNow(this::dispatch);
      else selector.select(this::dispatch, waitMs);
    }
  }

  private void dispatch(SelectionKey key) {
    if (key.isValid()) ((Handler) key.attachment()).ready(key);
  }
}
