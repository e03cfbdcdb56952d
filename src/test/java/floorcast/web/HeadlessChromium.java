package floorcast.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Test helper: a headless Chromium driven over the DevTools protocol with the JDK's WebSocket client (no Selenium).
 * One page (target); {@link #evaluate} runs JavaScript in it; uncaught page exceptions are collected.
 */
final class HeadlessChromium implements AutoCloseable {
  /** Debian's chromium (the real binary, then its wrapper script), or only the binary named by {@code CHROMIUM}. */
  static final List<Path> CANDIDATES =
      System.getenv("CHROMIUM") == null || System.getenv("CHROMIUM").isBlank()
          ? List.of(Path.of("/usr/lib/chromium/chromium"), Path.of("/usr/bin/chromium"))
          : List.of(Path.of(System.getenv("CHROMIUM")));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
  private final Map<String, Tab> tabs = new ConcurrentHashMap<>();
  private final Tab first;
  /** Uncaught exceptions of the first tab. */
  final List<String> pageErrors;

  /**
   * Whether the browser tests run: always in CI ({@code CI=true}), where a missing Chromium must fail them rather than
   * skip them silently ({@code .ci/run} installs it); on a developer machine only when Chromium is installed.
   */
  static boolean available() {
    return binary().isPresent() || "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static java.util.Optional<Path> binary() {
    return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
  }

  HeadlessChromium() throws Exception {
    Path binary =
        binary()
            .orElseThrow(
                () -> new IllegalStateException(
                    "Chromium not found at " + CANDIDATES + " (CI=true: browser tests must run; apt-get install -y chromium)"));
    profile = Files.createTempDirectory("floorcast-chromium");
    process =
        new ProcessBuilder(
                binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-crash-reporter", "--disable-breakpad", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--window-size=360,740", "--remote-debugging-port=0",
                // several dancers' tabs run side by side: none may be throttled as a background tab
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--user-data-dir=" + profile, "about:blank")
            .redirectErrorStream(true)
            .start();
    String endpoint = devToolsEndpoint();
    socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(URI.create(endpoint), new Listener())
            .get(20, TimeUnit.SECONDS);
    first = openTab(Map.of("url", "about:blank"));
    pageErrors = first.pageErrors;
  }

  /**
   * A further tab in its own browser context (own localStorage, so its own {@code pika_client_id}): a second dancer
   * on the same Chromium.
   */
  Tab newDancer() throws Exception {
    String context = call(null, "Target.createBrowserContext", Map.of()).path("browserContextId").asText();
    return openTab(Map.of("url", "about:blank", "browserContextId", context));
  }

  private Tab openTab(Map<String, ?> params) throws Exception {
    String target = call(null, "Target.createTarget", params).path("targetId").asText();
    String session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).path("sessionId").asText();
    Tab tab = new Tab(session);
    tabs.put(session, tab);
    call(session, "Runtime.enable", Map.of());
    call(session, "Page.enable", Map.of());
    // Content-Security-Policy violations are not exceptions: record them so tests can assert there are none
    call(session, "Page.addScriptToEvaluateOnNewDocument", Map.of("source",
        "window.__cspViolations=[];document.addEventListener('securitypolicyviolation',e=>window.__cspViolations.push(e.violatedDirective+' '+(e.sample||e.blockedURI)));"));
    return tab;
  }

  private String devToolsEndpoint() throws Exception {
    CompletableFuture<String> found = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  int at = line.indexOf("DevTools listening on ");
                  if (at >= 0) found.complete(line.substring(at + "DevTools listening on ".length()).strip());
                }
              } catch (IOException ignored) {
                // process ended
              }
              found.completeExceptionally(new IllegalStateException("chromium exited without a DevTools endpoint"));
            },
            "chromium-output");
    reader.setDaemon(true);
    reader.start();
    return found.get(60, TimeUnit.SECONDS);
  }

  JsonNode call(String sessionId, String method, Map<String, ?> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode msg = JSON.createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", JSON.valueToTree(params));
    if (sessionId != null) msg.put("sessionId", sessionId);
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    calls.put(id, reply);
    synchronized (this) {
      socket.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
    }
    JsonNode r = reply.get(30, TimeUnit.SECONDS);
    if (r.has("error")) throw new IllegalStateException(method + ": " + r.get("error"));
    return r.path("result");
  }

  void navigate(String url) throws Exception {
    first.navigate(url);
  }

  JsonNode evaluate(String expression) throws Exception {
    return first.evaluate(expression);
  }

  void waitFor(String expression, Duration limit, Supplier<String> what) throws Exception {
    first.waitFor(expression, limit, what);
  }

  void emulatePhone() throws Exception {
    first.emulatePhone(2);
  }

  void screenshot(Path file) throws Exception {
    first.screenshot(file);
  }

  String text(String selector) throws Exception {
    return first.text(selector);
  }

  void click(String selector) throws Exception {
    first.click(selector);
  }

  @Override
  public void close() throws Exception {
    try {
      socket.abort();
    } finally {
      ProcessHandle handle = process.toHandle();
      handle.descendants().forEach(ProcessHandle::destroy);
      handle.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** One page (target) attached over the browser's DevTools socket. */
  final class Tab {
    private final String session;
    final List<String> pageErrors = new CopyOnWriteArrayList<>();

    private Tab(String session) {
      this.session = session;
    }

    void navigate(String url) throws Exception {
      call(session, "Page.navigate", Map.of("url", url));
    }

    /** Evaluates an expression (promises awaited) and returns its JSON value. */
    JsonNode evaluate(String expression) throws Exception {
      JsonNode r = call(session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
      if (r.has("exceptionDetails")) throw new IllegalStateException("page script failed: " + r.get("exceptionDetails"));
      return r.path("result").path("value");
    }

    /** Polls an expression until it is truthy. */
    void waitFor(String expression, Duration limit, Supplier<String> what) throws Exception {
      long deadline = System.nanoTime() + limit.toNanos();
      while (true) {
        JsonNode v;
        try {
          v = evaluate(expression);
        } catch (IllegalStateException navigating) {
          v = null; // page reloading
        }
        if (v != null && v.asBoolean(false)) return;
        if (System.nanoTime() > deadline) throw new AssertionError("page never satisfied " + expression + ": " + what.get());
        Thread.sleep(50);
      }
    }

    /** A phone screen: 360 × 740 CSS pixels, touch, the given pixel density. */
    void emulatePhone(int density) throws Exception {
      call(session, "Emulation.setDeviceMetricsOverride", Map.of("width", 360, "height", 740, "deviceScaleFactor", density, "mobile", true));
    }

    /** PNG of the viewport, written to {@code file}. */
    void screenshot(Path file) throws Exception {
      JsonNode r = call(session, "Page.captureScreenshot", Map.of("format", "png"));
      Files.createDirectories(file.getParent());
      Files.write(file, java.util.Base64.getDecoder().decode(r.path("data").asText()));
    }

    String text(String selector) throws Exception {
      return evaluate("(document.querySelector(" + JSON.writeValueAsString(selector) + ")||{}).textContent||''").asText();
    }

    void click(String selector) throws Exception {
      evaluate("document.querySelector(" + JSON.writeValueAsString(selector) + ").click(); true");
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode m = JSON.readTree(partial.toString());
          if (m.has("id")) {
            CompletableFuture<JsonNode> f = calls.remove(m.get("id").asInt());
            if (f != null) f.complete(m);
          } else if ("Runtime.exceptionThrown".equals(m.path("method").asText()) && tabs.containsKey(m.path("sessionId").asText())) {
            tabs.get(m.path("sessionId").asText()).pageErrors.add(m.path("params").path("exceptionDetails").toString());
          }
        } catch (Exception ignored) {
          // not JSON: ignore
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
