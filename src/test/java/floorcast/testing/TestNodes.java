package floorcast.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import floorcast.ops.DatabaseSettings;
import floorcast.ops.FloorcastNode;
import java.util.Map;

/** Starts real nodes inside the test JVM: free ports, no JVM exit on shutdown, test mode. */
public final class TestNodes {
  private TestNodes() {}

  /** Test overlay: ephemeral HTTP and remoting ports, several ActorSystems per JVM allowed. */
  public static Config config(Map<String, Object> overrides) {
    return ConfigFactory.parseMap(overrides)
        .withFallback(ConfigFactory.parseResources("test-node.conf"))
        .withFallback(ConfigFactory.load());
  }

  /** A single-node cluster (joins itself). */
  public static FloorcastNode single(DatabaseSettings db, Map<String, Object> overrides) throws Exception {
    return FloorcastNode.start(config(overrides), db);
  }
}
