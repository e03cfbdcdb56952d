package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;

class NotShuttingDownCheckTest {
  @Test
  void turnsFalseWhenCoordinatedShutdownStarts() throws Exception {
    ActorSystem system =
        ActorSystem.create(
            "shutdown-check",
            ConfigFactory.parseString(
                    "pekko.actor.provider = local\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off\n"
                        + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n")
                .withFallback(ConfigFactory.load()));
    NotShuttingDownCheck check = new NotShuttingDownCheck(system);
    assertTrue(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS));
    CoordinatedShutdown.get(system)
        .runAll(CoordinatedShutdown.unknownReason())
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    assertFalse(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS));
  }
}
