package floorcast.ops;

import com.typesafe.config.Config;
import floorcast.api.ClientIpResolver;
import floorcast.api.RunMode;
import floorcast.api.SecuritySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Refuses to start a node whose configuration is unsafe for production ({@code PIKA_ENV=production}, the default),
 * and says why. In every mode the security settings must parse (e.g. an unknown {@code PIKA_ENV}).
 */
public final class ProductionConfigCheck {
  /** An exact origin: scheme://host[:port], no path, no trailing slash, no wildcard. */
  private static final Pattern ORIGIN = Pattern.compile("^[a-z][a-z0-9+.-]*://[^/\\s*?#@]+$");

  private ProductionConfigCheck() {}

  /** @throws IllegalStateException listing every problem */
  public static void requireSafe(Config config) {
    List<String> problems = problems(config);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "refusing to start with an unsafe configuration:\n  - " + String.join("\n  - ", problems));
    }
  }

  public static List<String> problems(Config config) {
    List<String> problems = new ArrayList<>();
    SecuritySettings s;
    try {
      s = SecuritySettings.from(config);
    } catch (RuntimeException e) {
      problems.add("security settings are invalid: " + e.getMessage());
      return problems;
    }
    try {
      ClientIpResolver.fromSetting(s.trustedProxies());
    } catch (RuntimeException e) {
      problems.add("TRUSTED_PROXIES is invalid: " + e.getMessage());
    }
    if (s.authRateLimit() < 1) problems.add("floorcast.security.auth-rate-limit.requests must be at least 1");
    if (s.mode() != RunMode.PRODUCTION) return problems;

    if (s.debugEndpointsEnabled()) {
      problems.add("DEBUG_ENDPOINTS is on: /debug/sessions would expose live sessions to anyone");
    }
    if (s.corsOrigins().isEmpty()) problems.add("CORS_ORIGINS is empty: the Pika! web app could not call the API");
    for (String o : s.corsOrigins()) {
      if (!ORIGIN.matcher(o).matches() || o.equals("null")) {
        problems.add("CORS_ORIGINS entry '" + o + "' is not an exact origin (no '*', no path, no trailing slash)");
      }
    }
    for (String o : s.wsOrigins()) {
      if (!ORIGIN.matcher(o).matches()) {
        problems.add("WS_ORIGINS entry '" + o + "' is not an exact origin (no '*', no path, no trailing slash)");
      }
    }
    for (String p : s.trustedProxies().split(",")) {
      String e = p.trim();
      if (e.endsWith("/0")) {
        problems.add("TRUSTED_PROXIES contains '" + e + "': every client could forge its IP and evade the rate limits");
      }
    }
    if (config.getString("floorcast.database.url").isBlank()
        && config.hasPath("floorcast.database.embedded.durable")
        && !config.getBoolean("floorcast.database.embedded.durable")) {
      problems.add("the embedded PostgreSQL runs with durability off: acknowledged commands could be lost on a crash");
    }
    return problems;
  }
}
