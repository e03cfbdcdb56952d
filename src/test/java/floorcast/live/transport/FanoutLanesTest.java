package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A lane runs its tasks one at a time in the order they were handed to it; different lanes run at once. */
class FanoutLanesTest {

  @Test
  void eachLaneRunsItsTasksInOrderAndNeverTwoAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      FanoutLanes lanes = new FanoutLanes(3, pool);
      int perLane = 20_000;
      List<List<Integer>> seen = new ArrayList<>();
      AtomicBoolean[] running = new AtomicBoolean[3];
      AtomicInteger overlaps = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(3 * perLane);
      for (int lane = 0; lane < 3; lane++) {
        seen.add(new ArrayList<>());
        running[lane] = new AtomicBoolean();
      }
      for (int i = 0; i < perLane; i++) {
        for (int lane = 0; lane < 3; lane++) {
          int l = lane;
          int n = i;
          lanes.execute(lane, () -> {
            if (!running[l].compareAndSet(false, true)) overlaps.incrementAndGet();
            seen.get(l).add(n); // unsynchronised on purpose: a lane is one task at a time
            running[l].set(false);
            done.countDown();
          });
        }
      }
      assertTrue(done.await(30, TimeUnit.SECONDS), "all tasks ran");
      assertEquals(0, overlaps.get(), "never two tasks of one lane at once");
      for (int lane = 0; lane < 3; lane++) {
        List<Integer> order = seen.get(lane);
        assertEquals(perLane, order.size());
        for (int i = 0; i < perLane; i++) assertEquals(i, order.get(i), "lane " + lane + " in order");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void lanesRunInParallel() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      FanoutLanes lanes = new FanoutLanes(2, pool);
      CountDownLatch released = new CountDownLatch(1);
      CountDownLatch finished = new CountDownLatch(1);
      // lane 0 waits for lane 1: only possible if both run at the same time
      lanes.execute(0, () -> {
        try {
          if (released.await(10, TimeUnit.SECONDS)) finished.countDown();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      lanes.execute(1, released::countDown);
      assertTrue(finished.await(15, TimeUnit.SECONDS), "lane 1 ran while lane 0 was busy");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aConnectionAlwaysMapsToTheSameLane() {
    FanoutLanes lanes = new FanoutLanes(4, Runnable::run);
    for (int i = 0; i < 1000; i++) {
      String id = "c" + i;
      int lane = lanes.laneOf(id);
      assertTrue(lane >= 0 && lane < 4);
      assertEquals(lane, lanes.laneOf(new String(id)));
    }
    assertEquals(2 * Runtime.getRuntime().availableProcessors(), new FanoutLanes(0, Runnable::run).count());
  }
}
