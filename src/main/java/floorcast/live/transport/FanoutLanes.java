package floorcast.live.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node fan-out's writers: a few serial lanes (two per core by default) on a shared executor. Each connection
 * belongs to one lane for its whole life ({@link #laneOf}), so everything handed to it runs on that lane in the
 * order it was handed out, while a broadcast to thousands of connections is handed out on all lanes at once: the
 * hand-off is mostly the socket writes themselves (a direct write per recipient), and one thread alone would make
 * the last dancer of a big session wait for all the others' writes.
 */
final class FanoutLanes {
  private static final Logger log = LoggerFactory.getLogger(FanoutLanes.class);

  private final Lane[] lanes;

  /**
   * {@code count} lanes running on {@code executor}; 0 or less: two per available core (measured on 2 cores with
   * 10,000 dancers: one lane per core left the writes a smaller share of the cores than the readers they feed).
   */
  FanoutLanes(int count, Executor executor) {
    int n = count > 0 ? count : 2 * Runtime.getRuntime().availableProcessors();
    lanes = new Lane[n];
    for (int i = 0; i < n; i++) lanes[i] = new Lane(executor);
  }

  int count() {
    return lanes.length;
  }

  /** The lane of a connection, from its id: fixed for the connection's life. */
  int laneOf(String connectionId) {
    return Math.floorMod(connectionId.hashCode(), lanes.length);
  }

  /** Runs {@code task} on lane {@code lane}, after everything handed to that lane before. */
  void execute(int lane, Runnable task) {
    lanes[lane].execute(task);
  }

  /** A serial executor: tasks run one at a time, in order, on whichever executor thread picks the lane up. */
  private static final class Lane implements Runnable {
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor executor;

    Lane(Executor executor) {
      this.executor = executor;
    }

    void execute(Runnable task) {
      tasks.add(task);
      if (scheduled.compareAndSet(false, true)) executor.execute(this);
    }

    @Override
    public void run() {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.error("fan-out task failed", e);
        }
      }
      scheduled.set(false);
      // a task added after the last poll but before the flag was cleared found the lane still scheduled
      if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) executor.execute(this);
    }
  }
}
