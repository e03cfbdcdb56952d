package floorcast.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that waits on every socket of an {@link NioHttpServer}: it accepts connections, reads what arrives
 * and reports write readiness. Nothing else runs on it; writes happen on the connection's stream thread
 * ({@link SocketStage}), so a delivery costs no hop through this thread.
 *
 * <p>Other threads hand it work with {@link #execute}; {@link #wakeup} is coalesced (one {@code Selector.wakeup}
 * per select round however many threads ask), because a broadcast may ask from thousands of connections at once.
 */
final class SelectorLoop implements AutoCloseable {
  /** What a registered key's attachment does when the selector reports it ready (on the loop thread). */
  interface Ready {
    void ready(SelectionKey key);
  }

  private static final Logger log = LoggerFactory.getLogger(SelectorLoop.class);

  /** One read per ready socket at most this large; inbound traffic is small (frames ≤ 10 KiB, HTTP requests). */
  static final int READ_CHUNK = 16 * 1024;

  final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_CHUNK);
  private final Thread thread;
  private volatile boolean running = true;

  SelectorLoop(String name) {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code task} on the loop thread, soon. */
  void execute(Runnable task) {
    tasks.add(task);
    wakeup();
  }

  /** Makes a pending select return, so that interest changes made by other threads take effect. */
  void wakeup() {
    if (Thread.currentThread() != thread && wakeupPending.compareAndSet(false, true)) selector.wakeup();
  }

  /** The loop's read buffer (loop thread only): cleared, ready for one read. */
  ByteBuffer readBuffer() {
    return readBuffer.clear();
  }

  private void run() {
    while (running) {
      try {
        selector.select(this::dispatch);
        wakeupPending.set(false);
        Runnable task;
        while ((task = tasks.poll()) != null) task.run();
      } catch (IOException | RuntimeException e) {
        // one misbehaving socket must not stop the node's I/O: log, keep selecting
        log.error("selector loop {}: {}", thread.getName(), e.toString(), e);
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("closing the selector: {}", e.toString());
    }
  }

  private void dispatch(SelectionKey key) {
    if (!key.isValid()) return;
    try {
      ((Ready) key.attachment()).ready(key);
    } catch (RuntimeException e) {
      log.error("socket handler failed: {}", e.toString(), e);
      key.cancel();
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
  }
}
