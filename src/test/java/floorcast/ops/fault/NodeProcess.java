package floorcast.ops.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Floorcast node as a separate JVM (reliability.md §7), so SIGTERM, SIGKILL and SIGSTOP are real signals. Ports
 * are offset from the developer cluster of cluster-config/local-3-node (3001…, 7355…, 7626…) so a running local
 * cluster is not disturbed; the node's own overlay is used and only ports, seeds and test limits are overridden.
 */
final class NodeProcess {
  static final String OPS_TOKEN = "fault-test-debug-token";

  final int n;
  private final String databaseUrl;
  private final Path logs;
  private Process process;
  private int version;

  NodeProcess(int n, String databaseUrl, Path logs) {
    this.n = n;
    this.databaseUrl = databaseUrl;
    this.logs = logs;
  }

  static int httpPort(int n) {
    return 3200 + n;
  }

  static int arteryPort(int n) {
    return 7554 + n;
  }

  static int managementPort(int n) {
    return 7825 + n;
  }

  static String address(int n) {
    return "pekko://floorcast@127.0.0.1:" + arteryPort(n);
  }

  /**
   * Starts (or restarts, on the same ports) this node with a higher app-version than its previous incarnation, as a
   * rolling update does.
   */
  synchronized void start() throws IOException {
    version++;
    launch();
  }

  /** Starts this node again with the same build (app-version), as a supervisor does after a crash. */
  synchronized void restartSameBuild() throws IOException {
    launch();
  }

  private void launch() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("@deploy/jvm.options"); // the production launchers' JVM options, then this test's
    cmd.add("-Xmx384m");
    cmd.add("-XX:TieredStopAtLevel=1"); // faster start on a loaded 2-core machine
    cmd.add("-Dconfig.file=cluster-config/local-3-node/local" + n + ".conf");
    cmd.add("-Dfloorcast.env=test");
    cmd.add("-Dfloorcast.parent-pid=" + ProcessHandle.current().pid());
    cmd.add("-Dpekko.cluster.app-version=1.0." + version);
    cmd.add("-Dfloorcast.http.port=" + httpPort(n));
    cmd.add("-Dpekko.remote.artery.canonical.port=" + arteryPort(n));
    cmd.add("-Dpekko.management.http.port=" + managementPort(n));
    cmd.add("-Dpekko.cluster.seed-nodes.0=" + address(1));
    cmd.add("-Dpekko.cluster.seed-nodes.1=" + address(2));
    cmd.add("-Dfloorcast.live.ws-rate-limit=100000");
    cmd.add("-Dfloorcast.live.warmup-followers=0"); // the broadcast-path warm-up only slows a test node's start
    // the production logback.xml (cluster events at INFO), not the test classpath's logback-test.xml, plus shard
    // allocation and start at DEBUG: FailoverTimeline reads the fail-over steps from these logs
    cmd.add("-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath());
    cmd.add("-Dpekko.loglevel=DEBUG");
    cmd.add("-DSHARDING_LOG_LEVEL=DEBUG");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("floorcast.ops.Main");
    cmd.add("serve");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("node" + n + ".log").toFile()));
    Map<String, String> env = pb.environment();
    env.put("DATABASE_URL", databaseUrl);
    env.put("OPS_DEBUG_ENABLED", "on");
    env.put("OPS_DEBUG_TOKEN", OPS_TOKEN);
    env.remove("WS_RATE_LIMIT");
    env.remove("PORT");
    env.remove("MANAGEMENT_PORT");
    process = pb.start();
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  synchronized long pid() {
    return process.pid();
  }

  /** SIGTERM: graceful leave (coordinated shutdown). */
  void term() {
    process().destroy();
  }

  /** SIGKILL. */
  void kill() throws InterruptedException {
    Process p = process();
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  boolean awaitExit(long seconds) throws InterruptedException {
    return process().waitFor(seconds, TimeUnit.SECONDS);
  }

  void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private synchronized Process process() {
    return process;
  }

  private void signal(String name) throws IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start().waitFor();
    if (rc != 0) throw new IOException("kill -" + name + " " + pid() + " exited with " + rc);
  }

  /** jcmd Thread.print of the node into {@code file}, best effort (diagnostics only). */
  void dumpThreads(Path file) {
    try {
      new ProcessBuilder("jcmd", Long.toString(pid()), "Thread.print")
          .redirectErrorStream(true)
          .redirectOutput(file.toFile())
          .start()
          .waitFor(20, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      // no dump: nothing else depends on it
    }
  }

  /** Ends the node at once (test cleanup); a paused node is resumed first so it can die. */
  void destroy() {
    Process p = process();
    if (p == null || !p.isAlive()) return;
    p.destroyForcibly();
    try {
      new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      // best effort: the node also exits when this JVM ends (floorcast.parent-pid)
    }
  }
}
