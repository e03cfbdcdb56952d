package floorcast.ops;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductionConfigCheckTest {
  static Config config(Map<String, Object> overrides) {
    return ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.parseResources("floorcast.conf")).resolve();
  }

  static List<String> problems(Map<String, Object> overrides) {
    return ProductionConfigCheck.problems(config(overrides));
  }

  static void assertRefused(Map<String, Object> overrides, String because) {
    List<String> p = problems(overrides);
    assertTrue(p.stream().anyMatch(s -> s.contains(because)), p.toString());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProductionConfigCheck.requireSafe(config(overrides)));
    assertTrue(e.getMessage().contains(because), e.getMessage());
  }

  @Test
  void theShippedDefaultsAreSafeForProduction() {
    assertEquals(List.of(), problems(Map.of("floorcast.env", "production")));
    ProductionConfigCheck.requireSafe(config(Map.of()));
  }

  @Test
  void debugEndpointsAreRefusedInProduction() {
    assertRefused(Map.of("floorcast.env", "production", "floorcast.security.debug-endpoints", "true"), "DEBUG_ENDPOINTS");
    assertEquals(List.of(), problems(Map.of("floorcast.env", "development", "floorcast.security.debug-endpoints", "true")));
  }

  @Test
  void wildcardOrInexactCorsOriginsAreRefusedInProduction() {
    assertRefused(Map.of("floorcast.security.cors-origins", "*"), "CORS_ORIGINS entry '*'");
    assertRefused(Map.of("floorcast.security.cors-origins", "https://pika.stream,https://*.pika.stream"), "https://*.pika.stream");
    assertRefused(Map.of("floorcast.security.cors-origins", "https://pika.stream/"), "https://pika.stream/");
    assertRefused(Map.of("floorcast.security.cors-origins", ""), "CORS_ORIGINS is empty");
    assertRefused(Map.of("floorcast.security.ws-origins", "*"), "WS_ORIGINS entry '*'");
    assertEquals(List.of(), problems(Map.of("floorcast.env", "test", "floorcast.security.cors-origins", "*")));
  }

  @Test
  void trustingEveryAddressAsProxyIsRefusedInProduction() {
    assertRefused(Map.of("floorcast.security.trusted-proxies", "10.0.0.1, 0.0.0.0/0"), "0.0.0.0/0");
    assertRefused(Map.of("floorcast.security.trusted-proxies", "::/0"), "::/0");
    assertEquals(List.of(), problems(Map.of("floorcast.security.trusted-proxies", "10.0.0.0/8, 2001:db8::/32")));
  }

  @Test
  void anEmbeddedDatabaseWithoutDurabilityIsRefusedInProduction() {
    assertRefused(Map.of("floorcast.database.embedded.durable", false), "durability off");
    assertEquals(List.of(), problems(Map.of("floorcast.database.embedded.durable", false, "floorcast.database.url", "postgres://db/x")));
  }

  @Test
  void invalidSettingsAreRefusedInEveryMode() {
    assertRefused(Map.of("floorcast.env", "prod"), "PIKA_ENV");
    assertRefused(Map.of("floorcast.env", "test", "floorcast.security.debug-endpoints", "maybe"), "DEBUG_ENDPOINTS");
    assertRefused(Map.of("floorcast.security.debug-endpoints", "1"), "DEBUG_ENDPOINTS is on");
    assertRefused(Map.of("floorcast.env", "test", "floorcast.security.trusted-proxies", "proxy.example.com"), "TRUSTED_PROXIES");
  }
}
