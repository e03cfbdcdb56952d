package floorcast.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionSettingsTest {
  @Test
  void shippedConfigurationEqualsTheSpecDefaults() {
    assertEquals(SessionSettings.defaults(), SessionSettings.fromConfig(ConfigFactory.load()));
  }

  @Test
  void graceSecondsAreConfigurable() {
    SessionSettings s =
        SessionSettings.fromConfig(
            ConfigFactory.parseMap(Map.of("floorcast.session.dj-grace-seconds", 42)).withFallback(ConfigFactory.load()));
    assertEquals(Duration.ofSeconds(42), s.djGrace());
  }
}
