package floorcast.api;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The {@code floorcast.security} block of floorcast.conf (and {@code floorcast.env}), parsed once. */
public record SecuritySettings(
    RunMode mode,
    List<String> corsOrigins,
    String trustedProxies,
    boolean wsOriginCheck,
    List<String> wsOrigins,
    Optional<Boolean> debugEndpoints,
    int authRateLimit,
    Duration authRateWindow,
    int hashingThreads,
    int hashingQueue,
    long maxBodyBytes) {

  public static SecuritySettings from(Config config) {
    Config s = config.getConfig("floorcast.security");
    String debug = s.getString("debug-endpoints").trim();
    return new SecuritySettings(
        RunMode.parse(config.getString("floorcast.env")),
        list(s.getString("cors-origins")),
        s.getString("trusted-proxies"),
        s.getBoolean("ws-origin-check"),
        list(s.getString("ws-origins")),
        debug.isEmpty() ? Optional.empty() : Optional.of(flag("DEBUG_ENDPOINTS", debug)),
        s.getInt("auth-rate-limit.requests"),
        s.getDuration("auth-rate-limit.window"),
        s.getInt("password-hashing.threads"),
        s.getInt("password-hashing.queue"),
        s.getBytes("max-body-size"));
  }

  /** {@code DEBUG_ENDPOINTS}: explicit value, else on in development/test and off in production. */
  public boolean debugEndpointsEnabled() {
    return debugEndpoints.orElse(mode != RunMode.PRODUCTION);
  }

  public ClientIpResolver clientIpResolver() {
    return ClientIpResolver.fromSetting(trustedProxies);
  }

  /** An explicit on/off value; anything else is a configuration error rather than a silent "off". */
  static boolean flag(String name, String value) {
    switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true": case "on": case "yes": case "1":
        return true;
      case "false": case "off": case "no": case "0":
        return false;
      default:
        throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
    }
  }

  /** Comma-separated setting → trimmed, non-empty entries. */
  static List<String> list(String setting) {
    if (setting == null || setting.isBlank()) return List.of();
    return Arrays.stream(setting.split(",")).map(String::trim).filter(e -> !e.isEmpty()).collect(Collectors.toUnmodifiableList());
  }
}
