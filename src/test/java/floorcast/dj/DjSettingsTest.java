package floorcast.dj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DjSettingsTest {
  @Test
  void defaultsFollowClientsSection5() throws Exception {
    DjSettings s = DjSettings.parse(new String[0], Map.of(), 1_736_972_400_000L);
    assertEquals("http://localhost:3001", s.server().toString());
    assertEquals("ws://localhost:3001/ws", s.webSocketUri().toString());
    assertEquals("auto", s.historyPath());
    assertEquals("", s.token());
    assertFalse(s.resumed());
    assertTrue(s.sessionId().matches("pika_1736972400000_[0-9a-z]+"), s.sessionId());
    assertEquals("http://localhost:3001/live/" + s.sessionId(), s.joinLink());
  }

  @Test
  void optionsAndEnvironment() throws Exception {
    DjSettings s =
        DjSettings.parse(
            new String[] {"--server", "https://api.pika.stream/", "--web", "https://pika.stream", "--name", " DJ Smooth ",
                "--resume", "pika_1736972400000_k3j9x2m1q", "--history", "/tmp/h.m3u"},
            Map.of("PIKA_TOKEN", "pk_dj_3f9c0a7e5b2d4c1e8f6a9b0c7d2e4f1a"),
            0);
    assertEquals("wss://api.pika.stream/ws", s.webSocketUri().toString());
    assertEquals("https://pika.stream/live/pika_1736972400000_k3j9x2m1q", s.joinLink());
    assertEquals("DJ Smooth", s.djName());
    assertEquals("pk_dj_3f9c0a7e5b2d4c1e8f6a9b0c7d2e4f1a", s.token());
    assertTrue(s.resumed());
  }

  @Test
  void equalsFormAndTheStateDirectoryUnderHome() throws Exception {
    DjSettings s = DjSettings.parse(new String[] {"--name=DJ Smooth", "--resume=pika_1736972400000_k3j9x2m1q", "--skip-current"},
        Map.of("HOME", "/home/smooth", "USERPROFILE", "C:\\Users\\other"), 0);
    assertEquals("DJ Smooth", s.djName());
    assertEquals("pika_1736972400000_k3j9x2m1q", s.sessionId());
    assertTrue(s.skipCurrent());
    assertEquals(java.nio.file.Path.of("/home/smooth", ".floorcast-dj"), s.stateDir());
    assertEquals(java.nio.file.Path.of("/profile", ".floorcast-dj"),
        DjSettings.parse(new String[0], Map.of("USERPROFILE", "/profile"), 0).stateDir());
    assertThrows(DjSettings.InvalidSettings.class, () -> DjSettings.parse(new String[] {"--skip-current=yes"}, Map.of(), 0));
  }

  @Test
  void badValuesAreRefusedWithAReason() {
    assertThrows(DjSettings.InvalidSettings.class, () -> DjSettings.parse(new String[] {"--name", "<b>"}, Map.of(), 0));
    assertThrows(DjSettings.InvalidSettings.class, () -> DjSettings.parse(new String[] {"--server", "ftp://x"}, Map.of(), 0));
    assertThrows(DjSettings.InvalidSettings.class, () -> DjSettings.parse(new String[] {"--resume", "short"}, Map.of(), 0));
    assertThrows(DjSettings.InvalidSettings.class, () -> DjSettings.parse(new String[] {"--resume"}, Map.of(), 0));
    assertThrows(DjSettings.InvalidSettings.class, () -> DjSettings.parse(new String[] {"--bogus"}, Map.of(), 0));
    assertThrows(DjSettings.InvalidSettings.class, () -> DjSettings.parse(new String[0], Map.of("PIKA_TOKEN", "short"), 0));
  }

  @Test
  void trackValuesAreSanitised() {
    ObjectNode t = TrackSanitizer.track("  ", " " + "x".repeat(800), 300.5, "C#m major key");
    assertEquals("Unknown", t.path("artist").asText());
    assertEquals(500, t.path("title").asText().length());
    assertFalse(t.has("bpm"));
    assertFalse(t.has("key"));
    ObjectNode ok = TrackSanitizer.track(" Delta Dreambox ", "Queen", 96.4, "Am");
    assertEquals("{\"title\":\"Queen\",\"artist\":\"Delta Dreambox\",\"bpm\":96.4,\"key\":\"Am\"}", ok.toString());
    assertFalse(TrackSanitizer.track("a", "b", 39.9, null).has("bpm"));
    assertTrue(TrackSanitizer.track("a", "b", 40.0, null).has("bpm"));
  }
}
