package floorcast.api;

import static floorcast.api.TestHttp.*;
import static org.junit.jupiter.api.Assertions.*;

import floorcast.ops.DatabaseSettings;
import floorcast.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** rest.md §5 auth limit: 5 per fixed window per client IP, shared by three routes, counted cluster-wide. */
class AuthRateLimitTest {
  static final String TOO_MANY = "Too many requests, please try again later";
  /** Refused before any password hashing, so the tests stay fast; it still counts (rest.md §5). */
  static final String BAD_LOGIN = "{}";
  static DatabaseSettings db;
  /** behind a trusted proxy (127.0.0.1): the forwarded address is the client */
  static AuthTestServer proxied;
  static AuthTestServer proxiedTwin;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.fresh();
    proxied = AuthTestServer.start(db, Map.of("floorcast.security.trusted-proxies", "127.0.0.1"));
    proxiedTwin = AuthTestServer.start(db, Map.of("floorcast.security.trusted-proxies", "127.0.0.0/8"));
  }

  @AfterAll
  static void stop() {
    proxied.close();
    proxiedTwin.close();
  }

  static HttpResponse<String> login(AuthTestServer s, String... headers) throws Exception {
    return post(s, "/api/auth/login", BAD_LOGIN, headers);
  }

  static void assertTooMany(HttpResponse<String> r) {
    assertEquals(429, r.statusCode(), r.body());
    assertEquals(errorBody(TOO_MANY), r.body());
    assertEquals("5", header(r, "RateLimit-Limit"));
    assertEquals("0", header(r, "RateLimit-Remaining"));
    long reset = Long.parseLong(header(r, "RateLimit-Reset"));
    assertTrue(reset >= 1 && reset <= 900, "reset " + reset);
    long retry = Long.parseLong(header(r, "Retry-After"));
    assertTrue(retry >= 1 && retry <= 900, "retry " + retry);
    assertEquals("no-store", header(r, "Cache-Control"));
  }

  @Test
  void theSixthRequestInTheWindowIsRefused() throws Exception {
    String ip = freshIp();
    for (int i = 1; i <= 5; i++) {
      HttpResponse<String> r = login(proxied, "X-Forwarded-For", ip);
      assertEquals(400, r.statusCode(), "request " + i + ": " + r.body());
      assertEquals("5", header(r, "RateLimit-Limit"));
      assertEquals(Integer.toString(5 - i), header(r, "RateLimit-Remaining"));
      assertNull(header(r, "Retry-After"));
    }
    assertTooMany(login(proxied, "X-Forwarded-For", ip));
    assertTooMany(post(proxied, "/api/auth/register", "{}", "X-Forwarded-For", ip));
    assertTooMany(post(proxied, "/api/auth/regenerate-token", "", "X-Forwarded-For", ip));
    // another client is unaffected; /me is not limited
    assertEquals(400, login(proxied, "X-Forwarded-For", freshIp()).statusCode());
    assertEquals(401, get(proxied, "/api/auth/me", "X-Forwarded-For", ip).statusCode());
  }

  @Test
  void registerLoginAndRegenerateShareOneBudget() throws Exception {
    String ip = freshIp();
    assertEquals(400, post(proxied, "/api/auth/register", "{}", "X-Forwarded-For", ip).statusCode());
    assertEquals(400, login(proxied, "X-Forwarded-For", ip).statusCode());
    assertEquals(401, post(proxied, "/api/auth/regenerate-token", "", "X-Forwarded-For", ip).statusCode());
    assertEquals(400, post(proxied, "/api/auth/login", "nonsense", "X-Forwarded-For", ip).statusCode());
    HttpResponse<String> fifth = post(proxied, "/api/auth/register", "{}", "X-Forwarded-For", ip);
    assertEquals(400, fifth.statusCode());
    assertEquals("0", header(fifth, "RateLimit-Remaining"));
    assertTooMany(post(proxied, "/api/auth/regenerate-token", "", "X-Forwarded-For", ip));
  }

  @Test
  void requestsRefusedByTheClientHeaderCheckConsumeNoBudget() throws Exception {
    String ip = freshIp();
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = send(proxied, "POST", "/api/auth/login", BAD_LOGIN, "X-Forwarded-For", ip);
      assertEquals(403, r.statusCode());
      assertNull(header(r, "RateLimit-Remaining"));
    }
    for (int i = 1; i <= 5; i++) assertEquals(400, login(proxied, "X-Forwarded-For", ip).statusCode());
    assertTooMany(login(proxied, "X-Forwarded-For", ip));
  }

  @Test
  void behindATrustedProxyTheForwardedClientIsCounted() throws Exception {
    String a = freshIp();
    String b = freshIp();
    // X-Forwarded-For: first element is the client
    for (int i = 0; i < 5; i++) assertEquals(400, login(proxied, "X-Forwarded-For", a + ", 192.0.2.1").statusCode());
    assertTooMany(login(proxied, "X-Forwarded-For", a));
    // CF-Connecting-IP wins over X-Forwarded-For
    assertTooMany(login(proxied, "CF-Connecting-IP", a, "X-Forwarded-For", b));
    HttpResponse<String> other = login(proxied, "CF-Connecting-IP", b, "X-Forwarded-For", a);
    assertEquals(400, other.statusCode());
    assertEquals("4", header(other, "RateLimit-Remaining"));
  }

  @Test
  void ipv6ClientsShareTheBudgetOfTheirSlash64() throws Exception {
    String net = "2001:db8:" + Integer.toHexString(freshIp().hashCode() & 0xffff) + ":7:";
    for (int i = 1; i <= 5; i++) assertEquals(400, login(proxied, "X-Forwarded-For", net + i + "::" + i).statusCode());
    assertTooMany(login(proxied, "X-Forwarded-For", net + "ffff:1:2:3"));
  }

  @Test
  void withoutATrustedProxyForwardingHeadersAreIgnored() throws Exception {
    // Its own database: every request of this server is counted for 127.0.0.1.
    try (AuthTestServer direct = AuthTestServer.start(TestDatabase.fresh(), Map.of("floorcast.security.trusted-proxies", ""))) {
      for (int i = 1; i <= 5; i++) {
        HttpResponse<String> r = login(direct, "X-Forwarded-For", freshIp(), "CF-Connecting-IP", freshIp());
        assertEquals(400, r.statusCode());
        assertEquals(Integer.toString(5 - i), header(r, "RateLimit-Remaining"));
      }
      assertTooMany(login(direct, "X-Forwarded-For", freshIp(), "CF-Connecting-IP", freshIp()));
      assertTooMany(login(direct));
    }
  }

  @Test
  void theLimitIsSharedByAllNodesOfTheCluster() throws Exception {
    String ip = freshIp();
    for (int i = 0; i < 3; i++) assertEquals(400, login(proxied, "X-Forwarded-For", ip).statusCode());
    HttpResponse<String> fourth = login(proxiedTwin, "X-Forwarded-For", ip);
    assertEquals(400, fourth.statusCode());
    assertEquals("1", header(fourth, "RateLimit-Remaining"));
    assertEquals(400, login(proxiedTwin, "X-Forwarded-For", ip).statusCode());
    assertTooMany(login(proxied, "X-Forwarded-For", ip));
    assertTooMany(login(proxiedTwin, "X-Forwarded-For", ip));
  }

  @Test
  void aNewWindowStartsWhenTheOldOneEnds() throws Exception {
    try (AuthTestServer shortWindow =
        AuthTestServer.start(
            db,
            Map.of("floorcast.security.trusted-proxies", "127.0.0.1", "floorcast.security.auth-rate-limit.window", "2s"))) {
      String ip = freshIp();
      for (int i = 0; i < 5; i++) assertEquals(400, login(shortWindow, "X-Forwarded-For", ip).statusCode());
      HttpResponse<String> refused = login(shortWindow, "X-Forwarded-For", ip);
      assertEquals(429, refused.statusCode());
      assertTrue(Long.parseLong(header(refused, "RateLimit-Reset")) <= 2);
      long deadline = System.nanoTime() + 30_000_000_000L;
      HttpResponse<String> r = refused;
      while (r.statusCode() == 429 && System.nanoTime() < deadline) {
        Thread.sleep(100); // poll interval of the await, not a timing assumption
        r = login(shortWindow, "X-Forwarded-For", ip);
      }
      assertEquals(400, r.statusCode(), "allowed again after the window");
      assertEquals("4", header(r, "RateLimit-Remaining"), "counting restarts in the new window");
    }
  }
}
