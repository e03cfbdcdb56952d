package floorcast.api;

import static floorcast.api.TestHttp.*;
import static org.junit.jupiter.api.Assertions.*;

import floorcast.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rest.md §4.10 failure texts when the database is gone: 500 with the route's text, nothing internal leaks. */
class AuthFailureTest {
  @Test
  void withoutADatabaseEveryRouteAnswersItsFailureText() throws Exception {
    try (AuthTestServer s = AuthTestServer.start(TestDatabase.fresh(), Map.of("floorcast.security.trusted-proxies", "127.0.0.1"))) {
      s.dataSource.close();
      assertFailure(post(s, "/api/auth/register", AuthRoutesTest.registration("a@b.co", "12345678", "DJ X")), "Registration failed");
      assertFailure(post(s, "/api/auth/login", AuthRoutesTest.credentials("a@b.co", "12345678")), "Login failed");
      assertFailure(post(s, "/api/auth/regenerate-token", "", "Authorization", "Bearer pk_dj_0123"), "Failed to regenerate token");
      assertFailure(get(s, "/api/auth/me", "Authorization", "Bearer pk_dj_0123"), "Internal Server Error");
      // checks that need no database still answer as usual
      HttpResponse<String> noClient = send(s, "POST", "/api/auth/login", "{}");
      assertEquals(403, noClient.statusCode());
      assertEquals(401, get(s, "/api/auth/me").statusCode());
    }
  }

  static void assertFailure(HttpResponse<String> r, String text) {
    assertEquals(500, r.statusCode(), r.body());
    assertEquals(errorBody(text), r.body());
    assertEquals("no-store", header(r, "Cache-Control"));
  }
}
