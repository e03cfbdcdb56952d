package floorcast.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import floorcast.ops.DatabaseSettings;
import floorcast.ops.FloorcastNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/** Bare cluster members (no HTTP) on a real database, for sharding and persistence tests in one JVM. */
public final class ClusterSystems {
  private ClusterSystems() {}

  public static Config config(DatabaseSettings db, Map<String, Object> overrides) {
    return FloorcastNode.withDatabase(
        ConfigFactory.parseMap(overrides)
            .withFallback(ConfigFactory.parseResources("test-node.conf"))
            .withFallback(ConfigFactory.load()),
        db);
  }

  /** Starts a system and joins {@code seed} (or itself when null); waits until it is Up. */
  public static ActorSystem<Void> start(String name, DatabaseSettings db, Address seed, Map<String, Object> overrides) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "floorcast", config(db, overrides));
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(seed != null ? seed : cluster.selfMember().address()));
    await(Duration.ofSeconds(30), () -> cluster.selfMember().status() == MemberStatus.up());
    return system;
  }

  public static Address address(ActorSystem<?> system) {
    return Cluster.get(system).selfMember().address();
  }

  /** Polls a condition until it holds or the deadline passes. */
  public static void await(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
