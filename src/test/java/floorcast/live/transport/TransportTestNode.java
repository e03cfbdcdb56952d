package floorcast.live.transport;

import floorcast.net.HttpListener;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import floorcast.live.ConnectionHandlerFactory;
import floorcast.live.MessageRenderer;
import floorcast.ops.NodeMetrics;
import floorcast.testing.TestNodes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * A real cluster node for transport tests: an ActorSystem (Artery on port 0), a {@link LiveGateway} with the given
 * protocol handlers and renderer, the node's {@link NodeMetrics}, and an HTTP binding on port 0 serving {@code /ws}.
 * No journal is started.
 */
final class TransportTestNode implements AutoCloseable {
  final ActorSystem<Void> system;
  final LiveGateway gateway;
  final HttpListener binding;

  private TransportTestNode(ActorSystem<Void> system, LiveGateway gateway, HttpListener binding) {
    this.system = system;
    this.gateway = gateway;
    this.binding = binding;
  }

  static Config config(Map<String, Object> overrides) {
    Map<String, Object> base = new HashMap<>();
    base.put("pekko.persistence.journal.auto-start-journals", List.of());
    base.put("pekko.persistence.snapshot-store.auto-start-snapshot-stores", List.of());
    base.put("pekko.cluster.sharding.remember-entities", "off");
    return ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.parseMap(base)).withFallback(TestNodes.config(Map.of())).resolve();
  }

  /** Starts a node; {@code joinTo} null = form a new cluster with itself. */
  static TransportTestNode start(
      Map<String, Object> overrides,
      TransportTestNode joinTo,
      DataSource dataSource,
      Function<LiveGateway, ConnectionHandlerFactory> handlers,
      MessageRenderer renderer)
      throws Exception {
    Config config = config(overrides);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "floorcast", config);
    try {
      Cluster cluster = Cluster.get(system);
      cluster
          .manager()
          .tell(Join.create(joinTo == null ? cluster.selfMember().address() : Cluster.get(joinTo.system).selfMember().address()));
      Await.until("node up", () -> cluster.selfMember().status() == MemberStatus.up());
      LiveGateway gateway = new LiveGateway(system, config, dataSource, handlers, renderer, NodeMetrics.get(system));
      // the node's transport (floorcast.http.transport), as FloorcastNode binds it
      HttpListener binding =
          HttpListener.bind(system, config.getString("floorcast.http.transport"), "127.0.0.1", 0, gateway.route())
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS);
      return new TransportTestNode(system, gateway, binding);
    } catch (Exception | AssertionError e) {
      system.terminate();
      throw e;
    }
  }

  static TransportTestNode start(Map<String, Object> overrides, ScriptedHandlers handlers) throws Exception {
    return start(overrides, null, null, handlers::factory, TestRenderer::render);
  }

  int port() {
    return binding.localAddress().getPort();
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
