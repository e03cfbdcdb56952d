package floorcast.dj;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling wait with a deadline (no fixed sleeps in tests). */
final class Await {
  private Await() {}

  static void until(Duration limit, BooleanSupplier condition, Supplier<String> whatWasExpected) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not reached within " + limit + ": " + whatWasExpected.get());
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }
}
