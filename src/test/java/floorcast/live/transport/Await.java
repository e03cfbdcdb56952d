package floorcast.live.transport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a (generous) deadline passes. */
final class Await {
  private Await() {}

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }

  static void until(String what, BooleanSupplier condition) {
    until(what, Duration.ofSeconds(20), condition);
  }
}
