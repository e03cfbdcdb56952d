package floorcast.ops;

import com.typesafe.config.Config;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Pekko Management on the node (management.conf): {@code /alive}, {@code /ready} (cluster member Up,
 * sharding registered, {@link DatabaseReadinessCheck}, {@link NotShuttingDownCheck}, {@link PubSubReadinessCheck}),
 * {@code /cluster/members}, {@code /cluster/shards/{name}}, {@code /metrics} ({@link MetricsRoutes}) and the guarded
 * {@code /debug/node} ({@link DebugRoutes}). With {@code floorcast.cluster.join = bootstrap} it also starts Cluster Bootstrap, which
 * forms or joins the cluster from Kubernetes API discovery (stack.md §4.1: never together with seed nodes).
 */
public final class ManagementServer {
  private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);

  private ManagementServer() {}

  /**
   * Binds the management endpoint (blocks up to 30 s for the bind) and returns its base URI, or null when
   * {@code floorcast.management.enabled} is off. Idempotent: a second call returns the same URI.
   */
  public static Uri start(ActorSystem<?> system) throws Exception {
    Config config = system.settings().config();
    String joinMode = joinMode(config);
    NodeLogContext.tag(Cluster.get(system).selfMember().address().toString());
    NodeMetrics.get(system.classicSystem());
    if (!config.getBoolean("floorcast.management.enabled")) {
      if (joinMode.equals("bootstrap")) {
        throw new IllegalStateException(
            "floorcast.cluster.join = bootstrap needs Pekko Management (floorcast.management.enabled = on)");
      }
      return null;
    }
    Uri uri =
        PekkoManagement.get(system.classicSystem())
            .start()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    log.info("management endpoint on {}", uri);
    if (joinMode.equals("bootstrap")) {
      ClusterBootstrap.get(system.classicSystem()).start();
      log.info("cluster bootstrap started (discovery: {})",
          config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    }
    return uri;
  }

  /**
   * {@code floorcast.cluster.join}: {@code auto} (join self when there are no seed nodes), {@code self},
   * {@code seeds} or {@code bootstrap}. Rejects bootstrap combined with seed nodes.
   */
  static String joinMode(Config config) {
    String mode = config.hasPath("floorcast.cluster.join") ? config.getString("floorcast.cluster.join") : "auto";
    boolean seeds = !config.getStringList("pekko.cluster.seed-nodes").isEmpty();
    switch (mode) {
      case "auto":
      case "self":
      case "seeds":
        return mode;
      case "bootstrap":
        if (seeds) {
          throw new IllegalStateException(
              "floorcast.cluster.join = bootstrap must not be combined with pekko.cluster.seed-nodes");
        }
        return mode;
      default:
        throw new IllegalStateException(
            "floorcast.cluster.join must be auto, self, seeds or bootstrap, not '" + mode + "'");
    }
  }
}
