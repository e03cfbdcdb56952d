package floorcast.ops;

import com.typesafe.config.Config;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the node when the process that started it dies ({@code -Dfloorcast.parent-pid=<pid>}): a multi-JVM test
 * that crashes or is killed must not leave node JVMs behind holding ports (reliability.md §7, "Orphans"). The
 * exit runs the JVM shutdown hooks, i.e. a graceful coordinated shutdown; if that hangs, the JVM is halted.
 */
public final class ParentWatchdog {
  private static final Logger log = LoggerFactory.getLogger(ParentWatchdog.class);

  /** Exit code of a node ended by its watchdog. */
  public static final int EXIT_CODE = 3;

  /** Longer than the sum of coordinated-shutdown phase timeouts, so a normal shutdown is never cut short. */
  private static final long HALT_AFTER_SECONDS = 120;

  private ParentWatchdog() {}

  /** Watches {@code floorcast.parent-pid} if set; the node exits when that process ends. */
  public static void startFromConfig(Config config) {
    if (!config.hasPath("floorcast.parent-pid")) return;
    long pid = Long.parseLong(config.getString("floorcast.parent-pid").trim());
    watch(pid, ParentWatchdog::exitNode);
  }

  /**
   * Runs {@code onParentGone} once when process {@code pid} has ended (at once if it is not running). Returns the
   * handle watched, empty when the process was already gone.
   */
  public static Optional<ProcessHandle> watch(long pid, Runnable onParentGone) {
    Optional<ProcessHandle> parent = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (parent.isEmpty()) {
      log.error("parent process {} is not running", pid);
      onParentGone.run();
      return Optional.empty();
    }
    log.info("watching parent process {}", pid);
    parent
        .get()
        .onExit()
        .thenRun(
            () -> {
              log.warn("parent process {} ended: stopping this node", pid);
              onParentGone.run();
            });
    return parent;
  }

  private static void exitNode() {
    Thread halt =
        new Thread(
            () -> {
              try {
                TimeUnit.SECONDS.sleep(HALT_AFTER_SECONDS);
              } catch (InterruptedException e) {
                return;
              }
              Runtime.getRuntime().halt(EXIT_CODE);
            },
            "floorcast-watchdog-halt");
    halt.setDaemon(true);
    halt.start();
    // System.exit blocks until the shutdown hooks have run, so it must not run on the onExit thread pool
    Thread exit = new Thread(() -> System.exit(EXIT_CODE), "floorcast-watchdog-exit");
    exit.start();
  }
}
