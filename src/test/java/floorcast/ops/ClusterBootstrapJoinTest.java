package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;

/**
 * {@code floorcast.cluster.join = bootstrap}: the node does not join itself; Cluster Bootstrap (started by
 * {@link ManagementServer}) discovers the contact points and forms the cluster. Kubernetes uses
 * {@code kubernetes-api} discovery; here the {@code config} method lists this node's management endpoint, which
 * exercises the same bootstrap path without a Kubernetes API.
 */
class ClusterBootstrapJoinTest {

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void bootstrapFormsTheClusterFromDiscoveredContactPoints() throws Exception {
    int management = freePort();
    String discovery = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    Map<String, Object> overrides =
        Map.of(
            "floorcast.cluster.join", "bootstrap",
            "pekko.management.http.port", management,
            discovery + "discovery-method", "config",
            discovery + "service-name", "floorcast",
            discovery + "required-contact-point-nr", 1,
            discovery + "stable-margin", "1s",
            "pekko.discovery.config.services.floorcast.endpoints",
                List.of(Map.of("host", "127.0.0.1", "port", management)));
    try (FloorcastNode node = TestNodes.single(TestDatabase.fresh(), overrides)) {
      Cluster cluster = Cluster.get(node.system());
      Eventually.await(
          "bootstrap forms a cluster with this node Up",
          Duration.ofSeconds(90),
          () -> cluster.selfMember().status().equals(MemberStatus.up()));
      int members = 0;
      for (var m : cluster.state().getMembers()) members++;
      assertEquals(1, members);
    }
  }
}
