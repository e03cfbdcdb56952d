package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watchdog fires when a real watched process ends, and at once for a process that is already gone. */
class ParentWatchdogTest {

  @Test
  void firesWhenTheParentEnds() throws Exception {
    Process parent = new ProcessBuilder("sleep", "120").start();
    try {
      CountDownLatch fired = new CountDownLatch(1);
      assertTrue(ParentWatchdog.watch(parent.pid(), fired::countDown).isPresent());
      assertEquals(1, fired.getCount(), "must not fire while the parent runs");
      parent.destroy();
      assertTrue(fired.await(30, TimeUnit.SECONDS), "watchdog did not fire");
    } finally {
      parent.destroyForcibly();
    }
  }

  @Test
  void firesAtOnceWhenTheParentIsGone() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
    CountDownLatch fired = new CountDownLatch(1);
    assertFalse(ParentWatchdog.watch(gone.pid(), fired::countDown).isPresent());
    assertEquals(0, fired.getCount());
  }
}
