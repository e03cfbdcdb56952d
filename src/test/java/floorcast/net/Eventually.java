package floorcast.net;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Polls a probe until it holds or 20 s pass. */
final class Eventually {
  private Eventually() {}

  static void await(String what, Callable<Boolean> probe) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      if (Boolean.TRUE.equals(probe.call())) return;
      TimeUnit.MILLISECONDS.sleep(20); // poll interval, not a timing assumption
    }
    throw new AssertionError("not within 20 s: " + what);
  }
}
