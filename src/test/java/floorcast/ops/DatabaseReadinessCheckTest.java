package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import floorcast.testing.TestDatabase;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.Test;

/** The readiness probe against a real PostgreSQL and against a port where nothing listens. */
class DatabaseReadinessCheckTest {

  static Config config(DatabaseSettings db) {
    return ConfigFactory.parseMap(
            Map.of(
                "pekko.actor.provider", "local",
                "pekko.coordinated-shutdown.exit-jvm", "off",
                "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off",
                "pekko-persistence-jdbc.shared-databases.default.db.url", db.jdbcUrl(),
                "pekko-persistence-jdbc.shared-databases.default.db.user", db.user(),
                "pekko-persistence-jdbc.shared-databases.default.db.password", db.password()))
        .withFallback(ConfigFactory.load());
  }

  static boolean check(DatabaseSettings db) throws Exception {
    ActorSystem system = ActorSystem.create("readiness", config(db));
    try {
      DatabaseReadinessCheck check = new DatabaseReadinessCheck(system);
      boolean first = check.get().toCompletableFuture().get(20, TimeUnit.SECONDS);
      // a second probe within the cache window gives the same answer
      boolean second = check.get().toCompletableFuture().get(20, TimeUnit.SECONDS);
      if (first != second) throw new AssertionError("cached answer differs");
      return first;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void readyWhenTheJournalDatabaseAnswers() throws Exception {
    assertTrue(check(TestDatabase.fresh()));
  }

  @Test
  void notReadyWhenNothingListens() throws Exception {
    // port 1 on loopback: connection refused at once
    assertFalse(check(new DatabaseSettings("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", "")));
  }
}
