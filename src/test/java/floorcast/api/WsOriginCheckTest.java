package floorcast.api;

import static floorcast.api.TestHttp.*;
import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.junit.jupiter.api.Assertions.*;

import floorcast.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WsOriginCheckTest {
  static final WsOriginCheck DEFAULTS =
      WsOriginCheck.from(SecuritySettings.from(AuthTestServer.config(Map.of("floorcast.security.ws-origin-check", true))));

  static boolean allows(WsOriginCheck c, String origin, String host) {
    return c.allows(Optional.ofNullable(origin), Optional.ofNullable(host));
  }

  @Test
  void absentOriginIsANonBrowserClient() {
    assertTrue(allows(DEFAULTS, null, "api.pika.stream"));
  }

  @Test
  void defaultListIsCorsOriginsDesktopLocalhostAndOwnOrigin() {
    assertTrue(allows(DEFAULTS, "https://pika.stream", "api.pika.stream"));
    assertTrue(allows(DEFAULTS, "https://staging.pika.stream", "x"));
    assertTrue(allows(DEFAULTS, "tauri://localhost", "x"));
    assertTrue(allows(DEFAULTS, "http://tauri.localhost", "x"));
    assertTrue(allows(DEFAULTS, "http://localhost:3000", "x"));
    assertTrue(allows(DEFAULTS, "http://127.0.0.1:5173", "x"));
    assertTrue(allows(DEFAULTS, "https://dancefloor.example:8443", "dancefloor.example:8443"), "own origin");
    assertFalse(allows(DEFAULTS, "https://evil.example", "api.pika.stream"));
    assertFalse(allows(DEFAULTS, "https://pika.stream.evil.example", "api.pika.stream"));
    assertFalse(allows(DEFAULTS, "https://pika.stream/", "api.pika.stream"));
    assertFalse(allows(DEFAULTS, "null", "api.pika.stream"));
    assertFalse(allows(DEFAULTS, "https://localhost.evil.example", "api.pika.stream"));
    assertFalse(allows(DEFAULTS, "not a url", "api.pika.stream"));
  }

  @Test
  void anExplicitListIsExact() {
    WsOriginCheck c = new WsOriginCheck(true, List.of("https://floor.example"), false);
    assertTrue(allows(c, "https://floor.example", "x"));
    assertFalse(allows(c, "http://localhost:3000", "x"));
    assertFalse(allows(c, "https://pika.stream", "x"));
    assertTrue(allows(c, "http://node-1:3001", "node-1:3001"), "own origin always");
  }

  @Test
  void theDirectiveRefusesWhenEnforcedAndOnlyLogsOtherwise() throws Exception {
    WsOriginCheck enforced = new WsOriginCheck(true, List.of("https://pika.stream"), false);
    WsOriginCheck logging = new WsOriginCheck(false, List.of("https://pika.stream"), false);
    try (AuthTestServer s =
        AuthTestServer.start(
            TestDatabase.fresh(),
            Map.of(),
            path("ws-enforced", () -> enforced.check(() -> complete("upgraded"))),
            path("ws-logged", () -> logging.check(() -> complete("upgraded"))))) {
      HttpResponse<String> refused = get(s, "/ws-enforced", "Origin", "https://evil.example");
      assertEquals(403, refused.statusCode());
      assertEquals("Origin not allowed", refused.body());
      assertEquals(200, get(s, "/ws-enforced", "Origin", "https://pika.stream").statusCode());
      assertEquals(200, get(s, "/ws-enforced").statusCode());
      assertEquals(200, get(s, "/ws-logged", "Origin", "https://evil.example").statusCode());
    }
  }
}
