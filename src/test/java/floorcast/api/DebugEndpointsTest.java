package floorcast.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** spec README "Configuration": DEBUG_ENDPOINTS defaults to on in development/test, off in production. */
class DebugEndpointsTest {
  private static boolean enabled(String env, String setting) {
    return DebugEndpoints.enabled(
        ConfigFactory.parseString("floorcast.env = \"" + env + "\"\nfloorcast.security.debug-endpoints = \"" + setting + "\""));
  }

  @Test
  void defaultsFollowTheEnvironmentMode() {
    assertFalse(enabled("production", ""));
    assertTrue(enabled("development", ""));
    assertTrue(enabled("test", ""));
  }

  @Test
  void explicitSettingWins() {
    assertTrue(enabled("production", "true"));
    assertFalse(enabled("test", "false"));
    assertFalse(enabled("development", "no"));
  }
}
