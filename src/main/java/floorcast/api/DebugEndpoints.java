package floorcast.api;

import com.typesafe.config.Config;

/** Whether {@code /debug/sessions} answers (spec README: DEBUG_ENDPOINTS, default on in development/test only). */
public final class DebugEndpoints {
  private DebugEndpoints() {}

  public static boolean enabled(Config config) {
    String setting = config.hasPath("floorcast.security.debug-endpoints")
        ? config.getString("floorcast.security.debug-endpoints").trim()
        : "";
    if (!setting.isEmpty()) return setting.equalsIgnoreCase("true") || setting.equals("1");
    String env = config.hasPath("floorcast.env") ? config.getString("floorcast.env") : "production";
    return env.equals("development") || env.equals("test");
  }
}
