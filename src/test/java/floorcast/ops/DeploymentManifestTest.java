package floorcast.ops;

import static floorcast.ops.YamlSubset.at;
import static floorcast.ops.YamlSubset.list;
import static floorcast.ops.YamlSubset.map;
import static floorcast.ops.YamlSubset.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lints deploy/: Kubernetes manifests agree with cluster-config/kubernetes.conf (ports, probe paths, bootstrap
 * discovery, grace period vs. coordinated shutdown), the Containerfile and systemd units agree with the node, and
 * every script passes {@code bash -n} and stays on loopback.
 */
class DeploymentManifestTest {
  static final Path K8S = Path.of("deploy/kubernetes");
  static Config node;
  static Map<String, Map<String, Object>> byKind = new HashMap<>();

  @BeforeAll
  static void load() throws IOException {
    node =
        ConfigFactory.parseMap(Map.of("POD_IP", "10.1.2.3", "DATABASE_URL", "postgres://db/floorcast"))
            .withFallback(ConfigFactory.parseFile(Path.of("cluster-config/kubernetes.conf").toFile()))
            .withFallback(ConfigFactory.defaultReference())
            .resolve();
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : YamlSubset.parseFile(f)) {
          String kind = string(doc, "kind");
          if (byKind.put(kind, map(doc)) != null) throw new AssertionError("two manifests of kind " + kind);
        }
      }
    }
  }

  /** Sum of every enabled coordinated-shutdown phase timeout: the longest a graceful stop may take. */
  static long coordinatedShutdownSeconds(Config c) {
    Config phases = c.getConfig("pekko.coordinated-shutdown.phases");
    long fallback = c.getDuration("pekko.coordinated-shutdown.default-phase-timeout").toSeconds();
    long sum = 0;
    for (String phase : phases.root().keySet()) {
      Config p = phases.getConfig("\"" + phase + "\"");
      if (p.hasPath("enabled") && !p.getBoolean("enabled")) continue;
      sum += p.hasPath("timeout") ? p.getDuration("timeout").toSeconds() : fallback;
    }
    return sum;
  }

  static Map<String, Object> container() {
    List<Object> containers = list(byKind.get("Deployment"), "spec", "template", "spec", "containers");
    assertEquals(1, containers.size());
    return map(containers.get(0));
  }

  static Map<String, String> containerPorts() {
    Map<String, String> ports = new HashMap<>();
    for (Object p : list(container(), "ports")) ports.put(string(p, "name"), string(p, "containerPort"));
    return ports;
  }

  static Map<String, Object> env(String name) {
    for (Object e : list(container(), "env")) {
      if (string(e, "name").equals(name)) return map(e);
    }
    throw new AssertionError("no env " + name);
  }

  @Test
  void everyManifestKindIsPresent() {
    assertEquals(
        Set.of("ServiceAccount", "Role", "RoleBinding", "Deployment", "Service", "PodDisruptionBudget",
            "NetworkPolicy", "Kustomization"),
        byKind.keySet());
  }

  @Test
  void containerPortsMatchTheNodeConfig() {
    Map<String, String> ports = containerPorts();
    assertEquals(node.getString("floorcast.http.port"), ports.get("http"));
    assertEquals(node.getString("pekko.management.http.port"), ports.get("management"));
    assertEquals(node.getString("pekko.remote.artery.canonical.port"), ports.get("remoting"));
    assertEquals("3001", ports.get("http"));
    assertEquals(
        node.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name"), "management");
  }

  @Test
  void probesHitManagementReadyAndAlive() {
    Map<String, Object> c = container();
    String ready = "/" + node.getString("pekko.management.health-checks.readiness-path");
    String alive = "/" + node.getString("pekko.management.health-checks.liveness-path");
    assertEquals("/ready", ready);
    assertEquals("/alive", alive);
    assertEquals(ready, string(c, "readinessProbe", "httpGet", "path"));
    assertEquals(alive, string(c, "livenessProbe", "httpGet", "path"));
    assertEquals(alive, string(c, "startupProbe", "httpGet", "path"));
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      assertEquals("management", string(c, probe, "httpGet", "port"), probe);
      long timeout = Long.parseLong(string(c, probe, "timeoutSeconds"));
      assertTrue(
          timeout > node.getDuration("pekko.management.health-checks.check-timeout").toSeconds(),
          probe + " must wait longer than the health checks' own timeout");
    }
  }

  @Test
  void rollingUpdateNeverDropsBelowTheReplicaCount() {
    Map<String, Object> d = byKind.get("Deployment");
    assertEquals("RollingUpdate", string(d, "spec", "strategy", "type"));
    assertEquals("0", string(d, "spec", "strategy", "rollingUpdate", "maxUnavailable"));
    assertEquals("1", string(d, "spec", "strategy", "rollingUpdate", "maxSurge"));
  }

  @Test
  void gracePeriodCoversCoordinatedShutdown() {
    Map<String, Object> spec = map(byKind.get("Deployment"), "spec", "template", "spec");
    long grace = Long.parseLong(string(spec, "terminationGracePeriodSeconds"));
    List<Object> preStop = list(container(), "lifecycle", "preStop", "exec", "command");
    long preStopSeconds = preStop.get(0).equals("sleep") ? Long.parseLong((String) preStop.get(1)) : 0;
    long shutdown = coordinatedShutdownSeconds(node);
    assertTrue(shutdown >= 30, "phase sum looks wrong: " + shutdown);
    assertTrue(grace >= preStopSeconds + shutdown, "grace " + grace + " < " + preStopSeconds + " + " + shutdown);
  }

  @Test
  void bootstrapFindsThePodsAndMayListThem() {
    Map<String, Object> d = byKind.get("Deployment");
    String service = node.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name");
    String selector = node.getString("pekko.discovery.kubernetes-api.pod-label-selector");
    assertEquals("app=%s", selector);
    assertEquals(service, string(d, "spec", "template", "metadata", "labels", "app"));
    assertEquals(service, string(d, "spec", "selector", "matchLabels", "app"));
    assertEquals(string(d, "spec", "replicas"), string(env("REQUIRED_CONTACT_POINT_NR"), "value"),
        "a new cluster forms from the initial replicas");

    Map<String, Object> role = byKind.get("Role");
    Map<String, Object> rule = map(list(role, "rules").get(0));
    assertTrue(list(rule, "resources").contains("pods"));
    assertTrue(list(rule, "verbs").containsAll(List.of("get", "watch", "list")));
    Map<String, Object> binding = byKind.get("RoleBinding");
    assertEquals(string(role, "metadata", "name"), string(binding, "roleRef", "name"));
    String account = string(d, "spec", "template", "spec", "serviceAccountName");
    assertEquals(account, string(list(binding, "subjects").get(0), "name"));
    assertEquals(account, string(byKind.get("ServiceAccount"), "metadata", "name"));
  }

  @Test
  void environmentFeedsTheKubernetesOverlay() throws IOException {
    String config = string(env("FLOORCAST_CONFIG"), "value");
    assertTrue(config.startsWith("/app/cluster-config/"), config);
    assertTrue(Files.isRegularFile(Path.of("cluster-config").resolve(config.substring("/app/cluster-config/".length()))));
    assertEquals("kubernetes.conf", Path.of(config).getFileName().toString());
    assertEquals("status.podIP", string(env("POD_IP"), "valueFrom", "fieldRef", "fieldPath"));
    assertEquals("metadata.labels['app.kubernetes.io/version']",
        string(env("APP_VERSION"), "valueFrom", "fieldRef", "fieldPath"));
    Map<String, Object> secret = map(env("DATABASE_URL"), "valueFrom", "secretKeyRef");
    assertEquals("DATABASE_URL", string(secret, "key"));
    assertFalse(string(secret, "name").isBlank());
    assertTrue(string(byKind.get("Deployment"), "spec", "template", "metadata", "labels", "app.kubernetes.io/version")
        .matches("\\d+\\.\\d+\\.\\d+"));
  }

  @Test
  void serviceExposesOnlyHttp() {
    Map<String, Object> s = byKind.get("Service");
    List<Object> ports = list(s, "spec", "ports");
    assertEquals(1, ports.size(), "management and Artery stay private");
    assertEquals("3001", string(ports.get(0), "port"));
    assertTrue(containerPorts().containsKey(string(ports.get(0), "targetPort")));
    assertEquals("floorcast", string(s, "spec", "selector", "app"));
  }

  @Test
  void disruptionBudgetKeepsAMajority() {
    Map<String, Object> pdb = byKind.get("PodDisruptionBudget");
    assertEquals("1", string(pdb, "spec", "maxUnavailable"));
    assertEquals("floorcast", string(pdb, "spec", "selector", "matchLabels", "app"));
  }

  @Test
  void networkPolicyCoversEveryContainerPort() {
    Set<String> allowed = new TreeSet<>();
    for (Object rule : list(byKind.get("NetworkPolicy"), "spec", "ingress")) {
      for (Object p : list(rule, "ports")) allowed.add(string(p, "port"));
    }
    assertEquals(new TreeSet<>(containerPorts().values()), allowed);
  }

  @Test
  void kustomizationListsEveryManifest() throws IOException {
    Set<String> listed =
        list(byKind.get("Kustomization"), "resources").stream().map(Object::toString).collect(Collectors.toSet());
    try (Stream<Path> files = Files.list(K8S)) {
      Set<String> present =
          files.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
              .collect(Collectors.toSet());
      assertEquals(present, listed);
    }
  }

  @Test
  void containerfileRunsTheNodeAsNonRootWithExecJava() throws IOException {
    String file = Files.readString(Path.of("deploy/Containerfile"));
    Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(file);
    assertTrue(expose.find());
    assertEquals(new TreeSet<>(containerPorts().values()), new TreeSet<>(List.of(expose.group(1).trim().split("\\s+"))));
    Matcher user = Pattern.compile("(?m)^USER (\\S+)$").matcher(file);
    assertTrue(user.find());
    assertFalse(user.group(1).startsWith("0") || user.group(1).startsWith("root"), "non-root");
    assertTrue(file.contains("FROM docker.io/library/eclipse-temurin:17-jre"));
    assertTrue(file.contains("COPY deploy/container-entrypoint.sh /app/bin/floorcast"));
    assertTrue(file.contains("ENTRYPOINT [\"/app/bin/floorcast\"]"));
    String entrypoint = Files.readString(Path.of("deploy/container-entrypoint.sh"));
    assertTrue(entrypoint.lines().anyMatch(l -> l.startsWith("exec java ")), "exec: java must be PID 1");
    assertTrue(entrypoint.contains("floorcast.ops.Main"));
  }

  @Test
  void systemdUnitStopsGracefullyAndStartsLocalOverlays() throws IOException {
    String unit = Files.readString(Path.of("deploy/systemd/floorcast@.service"));
    Map<String, String> keys = new HashMap<>();
    unit.lines().filter(l -> l.matches("^[A-Za-z]+=.*")).forEach(l -> keys.putIfAbsent(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    assertTrue(keys.get("ExecStart").startsWith("/usr/bin/java "), "no shell between systemd and the JVM");
    assertTrue(keys.get("ExecStart").contains("cluster-config/local-3-node/local%i.conf"));
    assertEquals("SIGTERM", keys.get("KillSignal"));
    assertTrue(Long.parseLong(keys.get("TimeoutStopSec")) >= coordinatedShutdownSeconds(node));
    int maxConnections = ConfigFactory.load().getInt("pekko.http.server.max-connections");
    assertTrue(Long.parseLong(keys.get("LimitNOFILE")) > maxConnections);
    for (int i = 1; i <= 3; i++) {
      assertTrue(Files.isRegularFile(Path.of("cluster-config/local-3-node/local" + i + ".conf")));
    }
  }

  @Test
  void scriptsParseCheckUlimitAndStayOnLoopback() throws Exception {
    List<Path> scripts = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("deploy"))) {
      files.filter(p -> p.toString().endsWith(".sh")).sorted().forEach(scripts::add);
    }
    assertTrue(scripts.size() >= 4, scripts.toString());
    Pattern ipv4 = Pattern.compile("\\b(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})\\b");
    for (Path script : scripts) {
      String text = Files.readString(script, StandardCharsets.UTF_8);
      String shell = text.startsWith("#!/bin/sh") ? "sh" : "bash";
      Process p = new ProcessBuilder(shell, "-n", script.toString()).redirectErrorStream(true).start();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), script + ": " + output);
      Matcher m = ipv4.matcher(text);
      while (m.find()) {
        String ip = m.group(1);
        assertTrue(ip.startsWith("127."), script + " targets a non-loopback address " + ip);
      }
    }
    for (String name : List.of("local-cluster.sh", "rolling-restart.sh")) {
      String text = Files.readString(Path.of("deploy", name));
      assertTrue(text.contains("ulimit -n"), name + " must check the open-files limit");
      assertTrue(text.contains("readonly HOST=127.0.0.1"), name);
    }
  }
}
