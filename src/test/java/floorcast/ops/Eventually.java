package floorcast.ops;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Polls a probe until it holds or a deadline passes (generous deadlines: the test machine is loaded). */
final class Eventually {
  private Eventually() {}

  static void await(String what, Duration deadline, Callable<Boolean> probe) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    Exception lastFailure = null;
    while (System.nanoTime() < end) {
      try {
        if (Boolean.TRUE.equals(probe.call())) return;
        lastFailure = null;
      } catch (Exception e) {
        lastFailure = e;
      }
      TimeUnit.MILLISECONDS.sleep(200); // poll interval, not a timing assumption
    }
    throw new AssertionError("not within " + deadline + ": " + what, lastFailure);
  }
}
