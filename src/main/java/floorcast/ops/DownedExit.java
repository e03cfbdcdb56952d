package floorcast.ops;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that the cluster downed (split brain resolver, or it gave up joining) must really end its JVM so its
 * supervisor starts a fresh one (docs/operations.md §1.1). Pekko's {@code coordinated-shutdown.exit-jvm} normally
 * does that right after the actor system terminated, from a callback of the termination future, and then waits
 * for the shutdown hooks; a hook that waits for anything completed by a later callback of that future blocks the
 * exit (Main's hook once did, for 90 s). This is the safety net: it halts the JVM with status 255 (Pekko's exit
 * code -1 for these reasons) a grace period after termination. Not armed for SIGTERM or a planned leave, nor when
 * {@code pekko.coordinated-shutdown.exit-jvm} is off.
 */
final class DownedExit {
  private static final Logger log = LoggerFactory.getLogger(DownedExit.class);
  private static final long GRACE_SECONDS = 15;
  private static final long TERMINATION_WAIT_SECONDS = 120;
  private static final int EXIT_CODE = 255;

  private DownedExit() {}

  static void armIfDowned(ActorSystem<?> system) {
    // a system configured not to end its JVM (tests run several nodes in one JVM) is never halted either
    if (!system.settings().config().getBoolean("pekko.coordinated-shutdown.exit-jvm")) return;
    CoordinatedShutdown.Reason reason = CoordinatedShutdown.get(system).getShutdownReason().orElse(null);
    if (reason != CoordinatedShutdown.clusterDowningReason()
        && reason != CoordinatedShutdown.clusterJoinUnsuccessfulReason()) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                // the classic future: typed whenTerminated is derived from it by a callback that may never run
                scala.concurrent.Await.ready(
                    Adapter.toClassic(system).whenTerminated(),
                    scala.concurrent.duration.Duration.create(TERMINATION_WAIT_SECONDS, TimeUnit.SECONDS));
                TimeUnit.SECONDS.sleep(GRACE_SECONDS);
              } catch (InterruptedException e) {
                return;
              } catch (Exception e) {
                // termination itself timed out: halt all the same
              }
              log.error("downed ({}): the JVM did not exit after the actor system terminated; halting", reason);
              Runtime.getRuntime().halt(EXIT_CODE);
            },
            "floorcast-downed-exit");
    t.setDaemon(true);
    t.start();
  }
}
