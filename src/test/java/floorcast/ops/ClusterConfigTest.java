package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every overlay in cluster-config/ parses and resolves the way {@code -Dconfig.file=…} loads it (the file replaces
 * application.conf and includes it), with the documented ports and join modes.
 */
class ClusterConfigTest {
  static final Path DIR = Path.of("cluster-config");
  static final List<String> SEEDS =
      List.of("pekko://floorcast@127.0.0.1:7355", "pekko://floorcast@127.0.0.1:7356");

  /** As ConfigFactory.load() does with -Dconfig.file: overrides, then the file, then reference.conf. */
  static Config load(Path file, Map<String, Object> overrides) {
    return ConfigFactory.parseMap(overrides)
        .withFallback(ConfigFactory.parseFile(file.toFile()))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  static void assertSplitBrainResolver(Config c) {
    assertEquals(
        "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
        c.getString("pekko.cluster.downing-provider-class"));
    assertEquals("keep-majority", c.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    // fail-over budget (docs/operations.md §1): detection + stable-after + removal margin well inside 10 s, but no
    // hair trigger: a failure detector that tolerates 2 s without heartbeat (4 heartbeats at 0.5 s; G1 pauses on the
    // benchmark runs stayed below 100 ms) and a stable-after of at least 1 s
    Duration stable = c.getDuration("pekko.cluster.split-brain-resolver.stable-after");
    Duration pause = c.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause");
    Duration margin = c.getDuration("pekko.cluster.down-removal-margin");
    assertTrue(stable.compareTo(Duration.ofSeconds(1)) >= 0, "not hair-trigger stable-after: " + stable);
    assertTrue(pause.compareTo(Duration.ofSeconds(2)) >= 0, "not hair-trigger failure detector: " + pause);
    Duration failover = c.getDuration("pekko.cluster.failure-detector.heartbeat-interval").plus(pause).plus(stable).plus(margin);
    assertTrue(failover.compareTo(Duration.ofSeconds(7)) <= 0, "crash fail-over before shards move: " + failover);
    assertTrue(c.getBoolean("pekko.cluster.run-coordinated-shutdown-when-down"), "a downed node shuts down");
    assertEquals(100, c.getInt("pekko.cluster.sharding.number-of-shards"), "fixed forever");
  }

  static void assertManagementRoutes(Config c) {
    assertEquals("floorcast.ops.DatabaseReadinessCheck",
        c.getString("pekko.management.health-checks.readiness-checks.database"));
    assertEquals("floorcast.ops.NotShuttingDownCheck",
        c.getString("pekko.management.health-checks.readiness-checks.not-shutting-down"));
    assertEquals("floorcast.ops.PubSubReadinessCheck",
        c.getString("pekko.management.health-checks.readiness-checks.pubsub"));
    assertEquals("floorcast.ops.MetricsRoutes", c.getString("pekko.management.http.routes.floorcast-metrics"));
    assertEquals("ready", c.getString("pekko.management.health-checks.readiness-path"));
    assertEquals("alive", c.getString("pekko.management.health-checks.liveness-path"));
    assertTrue(c.getBoolean("pekko.coordinated-shutdown.exit-jvm"), "a downed node must really exit");
  }

  @Test
  void everyOverlayStartsWithTheApplicationInclude() throws Exception {
    Set<Path> overlays = new HashSet<>();
    try (var files = Files.walk(DIR)) {
      files.filter(p -> p.toString().endsWith(".conf")).forEach(overlays::add);
    }
    assertEquals(6, overlays.size(), overlays.toString());
    for (Path p : overlays) {
      if (p.getFileName().toString().equals("local-shared.conf")) continue; // a fragment, included by localN
      String firstDirective =
          Files.readAllLines(p).stream()
              .map(String::strip)
              .filter(l -> !l.isEmpty() && !l.startsWith("#"))
              .findFirst()
              .orElse("");
      assertEquals("include classpath(\"application\")", firstDirective, p.toString());
    }
  }

  @Test
  void singleNodeJoinsItselfOnTheEmbeddedDatabase() {
    Config c = load(DIR.resolve("single-node.conf"), Map.of());
    assertEquals("self", ManagementServer.joinMode(c));
    assertTrue(c.getStringList("pekko.cluster.seed-nodes").isEmpty());
    assertEquals(1, c.getInt("pekko.cluster.min-nr-of-members"));
    String databaseUrl = System.getenv().getOrDefault("DATABASE_URL", "");
    assertEquals(databaseUrl, c.getString("floorcast.database.url"), "empty = embedded PostgreSQL");
    assertEquals(7626, c.getInt("pekko.management.http.port"));
    assertEquals("127.0.0.1", c.getString("pekko.management.http.hostname"));
    assertEquals("127.0.0.1", c.getString("pekko.remote.artery.canonical.hostname"));
    assertSplitBrainResolver(c);
    assertManagementRoutes(c);
  }

  @Test
  void localNodesUseTheirOwnLoopbackPortsAndTwoSeeds() {
    Set<Integer> ports = new HashSet<>();
    for (int n = 1; n <= 3; n++) {
      Config c = load(DIR.resolve("local-3-node/local" + n + ".conf"), Map.of());
      assertEquals(3000 + n, c.getInt("floorcast.http.port"));
      assertEquals(7354 + n, c.getInt("pekko.remote.artery.canonical.port"));
      assertEquals(7625 + n, c.getInt("pekko.management.http.port"));
      for (String hostKey :
          List.of("floorcast.http.host", "pekko.remote.artery.canonical.hostname", "pekko.management.http.hostname")) {
        assertEquals("127.0.0.1", c.getString(hostKey), hostKey + " must stay on loopback");
      }
      assertEquals(SEEDS, c.getStringList("pekko.cluster.seed-nodes"));
      assertEquals("seeds", ManagementServer.joinMode(c));
      assertEquals(2, c.getInt("pekko.cluster.min-nr-of-members"));
      assertTrue(
          c.getString("floorcast.database.url").contains("127.0.0.1")
              || System.getenv("DATABASE_URL") != null,
          "one shared PostgreSQL on loopback");
      assertSplitBrainResolver(c);
      assertManagementRoutes(c);
      ports.add(c.getInt("floorcast.http.port"));
      ports.add(c.getInt("pekko.remote.artery.canonical.port"));
      ports.add(c.getInt("pekko.management.http.port"));
      for (int port : List.of(
          c.getInt("floorcast.http.port"),
          c.getInt("pekko.remote.artery.canonical.port"),
          c.getInt("pekko.management.http.port"))) {
        assertTrue(port < 32768, "listening ports stay below the ephemeral range (stack.md J2)");
      }
    }
    assertEquals(9, ports.size(), "no port shared between local nodes");
  }

  @Test
  void localNodeTakesTheTestsDatabaseUrlAndAppVersion() {
    Config c =
        load(
            DIR.resolve("local-3-node/local2.conf"),
            Map.of("DATABASE_URL", "postgres://postgres@127.0.0.1:25432/postgres", "APP_VERSION", "1.0.7"));
    assertEquals("postgres://postgres@127.0.0.1:25432/postgres", c.getString("floorcast.database.url"));
    assertEquals("1.0.7", c.getString("pekko.cluster.app-version"));
  }

  @Test
  void kubernetesUsesBootstrapNeverSeeds() {
    Config c =
        load(
            DIR.resolve("kubernetes.conf"),
            Map.of(
                "POD_IP", "10.1.2.3",
                "DATABASE_URL", "postgres://u:p@db:5432/floorcast",
                "REQUIRED_CONTACT_POINT_NR", 5,
                "APP_VERSION", "1.4.2"));
    assertEquals("bootstrap", ManagementServer.joinMode(c));
    assertTrue(c.getStringList("pekko.cluster.seed-nodes").isEmpty());
    String discovery = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    assertEquals("kubernetes-api", c.getString(discovery + "discovery-method"));
    assertEquals(5, c.getInt(discovery + "required-contact-point-nr"));
    assertEquals("management", c.getString(discovery + "port-name"));
    assertEquals("10.1.2.3", c.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals("10.1.2.3", c.getString("pekko.management.http.hostname"));
    assertEquals("0.0.0.0", c.getString("pekko.management.http.bind-hostname"));
    assertEquals(7626, c.getInt("pekko.management.http.port"));
    assertEquals(3001, c.getInt("floorcast.http.port"));
    assertEquals("1.4.2", c.getString("pekko.cluster.app-version"));
    assertEquals("postgres://u:p@db:5432/floorcast", c.getString("floorcast.database.url"));
    assertSplitBrainResolver(c);
    assertManagementRoutes(c);

    Config defaults =
        load(DIR.resolve("kubernetes.conf"), Map.of("POD_IP", "10.1.2.3", "DATABASE_URL", "postgres://db/x"));
    assertEquals(3, defaults.getInt(discovery + "required-contact-point-nr"));
  }

  @Test
  void kubernetesRefusesToStartWithoutPodIpOrDatabase() {
    Path k8s = DIR.resolve("kubernetes.conf");
    if (System.getenv("POD_IP") == null) {
      assertThrows(ConfigException.UnresolvedSubstitution.class,
          () -> load(k8s, Map.of("DATABASE_URL", "postgres://db/x")));
    }
    if (System.getenv("DATABASE_URL") == null) {
      assertThrows(ConfigException.UnresolvedSubstitution.class, () -> load(k8s, Map.of("POD_IP", "10.1.2.3")));
    }
  }

  @Test
  void bootstrapWithSeedNodesIsRejected() {
    Config c =
        ConfigFactory.parseMap(
                Map.of("floorcast.cluster.join", "bootstrap", "pekko.cluster.seed-nodes", SEEDS))
            .withFallback(ConfigFactory.load());
    assertThrows(IllegalStateException.class, () -> ManagementServer.joinMode(c));
    Config typo = ConfigFactory.parseMap(Map.of("floorcast.cluster.join", "bootstrp")).withFallback(ConfigFactory.load());
    assertThrows(IllegalStateException.class, () -> ManagementServer.joinMode(typo));
  }

  @Test
  void overlayFilesAreWhereTheDocsSayTheyAre() {
    for (String name :
        List.of("single-node.conf", "kubernetes.conf", "local-3-node/local-shared.conf",
            "local-3-node/local1.conf", "local-3-node/local2.conf", "local-3-node/local3.conf")) {
      assertTrue(new File(DIR.toFile(), name).isFile(), name);
    }
  }
}
