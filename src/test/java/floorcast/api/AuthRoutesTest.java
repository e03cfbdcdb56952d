package floorcast.api;

import static floorcast.api.TestHttp.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.password4j.BcryptFunction;
import com.password4j.Password;
import com.password4j.types.Bcrypt;
import floorcast.account.DjTokens;
import floorcast.account.JdbcTokenAuthenticator;
import floorcast.ops.DatabaseSettings;
import floorcast.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** rest.md §3 and §4.10 over real HTTP against real PostgreSQL. Every POST uses a fresh client IP (rate limit). */
class AuthRoutesTest {
  static DatabaseSettings db;
  static AuthTestServer server;
  static final AtomicInteger n = new AtomicInteger();
  static final String TOKEN = "^pk_dj_[0-9a-f]{32}$";
  static final String PHC = "^\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$";

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.fresh();
    server = AuthTestServer.start(db, Map.of("floorcast.security.trusted-proxies", "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String registration(String email, String password, String displayName) {
    return JSON.createObjectNode().put("email", email).put("password", password).put("displayName", displayName).toString();
  }

  static String credentials(String email, String password) {
    return JSON.createObjectNode().put("email", email).put("password", password).toString();
  }

  /** Registers a unique account; returns the 201 body. */
  static JsonNode newAccount(String password) throws Exception {
    int i = n.incrementAndGet();
    HttpResponse<String> r = post(server, "/api/auth/register", registration("dj" + i + "@example.com", password, "DJ Number " + i));
    assertEquals(201, r.statusCode(), r.body());
    return json(r);
  }

  static String query(String sql, Object... args) throws Exception {
    try (Connection c = server.dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  static void assertError(HttpResponse<String> r, int status, String text) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(errorBody(text), r.body());
    assertEquals("no-store", header(r, "Cache-Control"));
  }

  @Test
  void registerStoresArgon2idAndOnlyTheTokenHash() throws Exception {
    HttpResponse<String> r =
        post(server, "/api/auth/register", registration("  DJ.Andre@Example.COM ", "correct horse", "  DJ André  "));
    assertEquals(201, r.statusCode(), r.body());
    JsonNode b = json(r);
    String token = b.get("token").asText();
    assertTrue(token.matches(TOKEN), token);
    assertEquals(38, token.length());
    long id = b.get("user").get("id").asLong();
    assertEquals(
        "{\"success\":true,\"user\":{\"id\":" + id + ",\"email\":\"dj.andre@example.com\",\"displayName\":\"DJ André\",\"slug\":\"dj-andre\"},\"token\":\"" + token + "\"}",
        r.body());
    assertEquals("no-store", header(r, "Cache-Control"));
    assertEquals("nosniff", header(r, "X-Content-Type-Options"));
    assertEquals("5", header(r, "RateLimit-Limit"));
    assertEquals("4", header(r, "RateLimit-Remaining"));
    long reset = Long.parseLong(header(r, "RateLimit-Reset"));
    assertTrue(reset >= 1 && reset <= 900, "reset " + reset);

    assertTrue(query("SELECT password_hash FROM dj_users WHERE id = ?", id).matches(PHC));
    assertEquals(DjTokens.storedHash(token), query("SELECT token FROM dj_tokens WHERE dj_user_id = ?", id));
    assertTrue(query("SELECT token FROM dj_tokens WHERE dj_user_id = ?", id).matches("^[0-9a-f]{64}$"));
    assertEquals("Default", query("SELECT name FROM dj_tokens WHERE dj_user_id = ?", id));
    assertEquals("0", query("SELECT count(*) FROM dj_tokens WHERE token = ?", token));
  }

  @Test
  void registerChecksRunInSpecOrder() throws Exception {
    String required = "Email, password, and display name are required";
    assertError(post(server, "/api/auth/register", "not json"), 400, required);
    assertError(post(server, "/api/auth/register", "[]"), 400, required);
    assertError(post(server, "/api/auth/register", ""), 400, required);
    assertError(post(server, "/api/auth/register", "{\"email\":\"a@b.co\",\"password\":\"12345678\"}"), 400, required);
    assertError(post(server, "/api/auth/register", "{\"email\":\"a@b.co\",\"password\":12345678,\"displayName\":\"DJ X\"}"), 400, required);
    assertError(post(server, "/api/auth/register", "{\"email\":null,\"password\":\"12345678\",\"displayName\":\"DJ X\"}"), 400, required);
    // empty after trim wins over every later check
    assertError(post(server, "/api/auth/register", registration(" \u00A0 ", "x", "!")), 400, required);
    assertError(post(server, "/api/auth/register", registration("a@b.co", "        ", "DJ X")), 400, required);
    // 2 before 3 and 4
    assertError(post(server, "/api/auth/register", registration("bad", "short", "!")), 400, "Password must be at least 8 characters");
    assertError(post(server, "/api/auth/register", registration("bad", "p".repeat(129), "!")), 400, "Password must be at most 128 characters");
    // 3 before 4
    assertError(post(server, "/api/auth/register", registration("bad@nodot", "12345678", "!")), 400, "Invalid email format");
    assertError(post(server, "/api/auth/register", registration("a b@c.de", "12345678", "DJ X")), 400, "Invalid email format");
    assertError(post(server, "/api/auth/register", registration("a\u00A0b@c.de", "12345678", "DJ X")), 400, "Invalid email format");
    assertError(post(server, "/api/auth/register", registration("a@@b.de", "12345678", "DJ X")), 400, "Invalid email format");
    assertError(post(server, "/api/auth/register", registration("a".repeat(250) + "@b.de", "12345678", "DJ X")), 400, "Invalid email format");
    // 4
    assertError(post(server, "/api/auth/register", registration("x1@example.com", "12345678", "!!")), 400, "Display name must be at least 2 characters");
    assertError(post(server, "/api/auth/register", registration("x1@example.com", "12345678", "é")), 400, "Display name must be at least 2 characters");
    assertError(post(server, "/api/auth/register", registration("x1@example.com", "12345678", "__ - __")), 400, "Display name must be at least 2 characters");
  }

  @Test
  void registerBoundariesAreAccepted() throws Exception {
    assertEquals(201, post(server, "/api/auth/register", registration("min8@example.com", "12345678", "Bound Min")).statusCode());
    assertEquals(201, post(server, "/api/auth/register", registration("max128@example.com", "p".repeat(128), "Bound Max")).statusCode());
    String exactly254 = "a".repeat(248) + "@bb.de";
    assertEquals(254, exactly254.length());
    assertEquals(201, post(server, "/api/auth/register", registration(exactly254, "12345678", "Bound Email")).statusCode());
    assertEquals(201, post(server, "/api/auth/register", registration("two@example.com", "12345678", "ab")).statusCode());
  }

  @Test
  void conflictsAreCheckedEmailFirstThenSlug() throws Exception {
    assertEquals(201, post(server, "/api/auth/register", registration("taken@example.com", "12345678", "DJ Taken")).statusCode());
    // same e-mail in other case and same slug: e-mail (check 5) first
    assertError(post(server, "/api/auth/register", registration(" TAKEN@example.com", "12345678", "DJ Taken")), 409, "Email already registered");
    assertError(post(server, "/api/auth/register", registration("taken@example.com", "12345678", "Someone Else")), 409, "Email already registered");
    // different spelling, same slug
    assertError(post(server, "/api/auth/register", registration("other@example.com", "12345678", "dj_TAKEN")), 409, "Display name already taken");
    assertEquals("1", query("SELECT count(*) FROM dj_users WHERE slug = 'dj-taken'"));
  }

  @Test
  void loginIssuesANewTokenEveryTimeWithoutRevokingOthers() throws Exception {
    JsonNode acc = newAccount("secret password");
    String email = acc.get("user").get("email").asText();
    HttpResponse<String> a = post(server, "/api/auth/login", credentials("  " + email.toUpperCase() + " ", "secret password"));
    assertEquals(200, a.statusCode(), a.body());
    HttpResponse<String> b = post(server, "/api/auth/login", credentials(email, "secret password"));
    assertEquals(200, b.statusCode(), b.body());
    String ta = json(a).get("token").asText();
    String tb = json(b).get("token").asText();
    assertTrue(ta.matches(TOKEN) && tb.matches(TOKEN));
    assertNotEquals(ta, tb);
    assertEquals(
        "{\"success\":true,\"user\":" + acc.get("user") + ",\"token\":\"" + ta + "\"}", a.body());
    assertEquals("no-store", header(a, "Cache-Control"));
    for (String t : new String[] {acc.get("token").asText(), ta, tb}) {
      assertEquals(200, get(server, "/api/auth/me", "Authorization", "Bearer " + t).statusCode());
    }
    assertEquals("3", query("SELECT count(*) FROM dj_tokens WHERE dj_user_id = ?", acc.get("user").get("id").asInt()));
  }

  @Test
  void loginRefusals() throws Exception {
    JsonNode acc = newAccount("secret password");
    String email = acc.get("user").get("email").asText();
    String required = "Email and password are required";
    assertError(post(server, "/api/auth/login", "{oops"), 400, required);
    assertError(post(server, "/api/auth/login", "{}"), 400, required);
    assertError(post(server, "/api/auth/login", credentials(email, "")), 400, required);
    assertError(post(server, "/api/auth/login", credentials("", "secret password")), 400, required);
    assertError(post(server, "/api/auth/login", "{\"email\":[\"" + email + "\"],\"password\":\"secret password\"}"), 400, required);
    assertError(post(server, "/api/auth/login", credentials("nobody@example.com", "secret password")), 401, "Invalid email or password");
    assertError(post(server, "/api/auth/login", credentials(email, "secret passwort")), 401, "Invalid email or password");
    assertError(post(server, "/api/auth/login", credentials(email, "secret password ")), 401, "Invalid email or password");
  }

  @Test
  void importedBcryptHashesVerifyAndAreRehashedToArgon2id() throws Exception {
    for (String prefix : new String[] {"$2a$", "$2b$", "$2y$"}) {
      int i = n.incrementAndGet();
      String email = "imported" + i + "@example.com";
      String bcrypt = Password.hash("old pika password").with(BcryptFunction.getInstance(Bcrypt.B, 10)).getResult();
      String stored = prefix + bcrypt.substring(4);
      try (Connection c = server.dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement("INSERT INTO dj_users (email, password_hash, display_name, slug) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, email);
        ps.setString(2, stored);
        ps.setString(3, "Imported " + i);
        ps.setString(4, "imported-" + i);
        ps.executeUpdate();
      }
      assertError(post(server, "/api/auth/login", credentials(email, "wrong password")), 401, "Invalid email or password");
      assertEquals(stored, query("SELECT password_hash FROM dj_users WHERE email = ?", email), "a failed login keeps the hash");

      HttpResponse<String> ok = post(server, "/api/auth/login", credentials(email, "old pika password"));
      assertEquals(200, ok.statusCode(), prefix + " " + ok.body());
      String now = query("SELECT password_hash FROM dj_users WHERE email = ?", email);
      assertTrue(now.matches(PHC), prefix + " re-hashed: " + now);

      assertEquals(200, post(server, "/api/auth/login", credentials(email, "old pika password")).statusCode());
      assertEquals(now, query("SELECT password_hash FROM dj_users WHERE email = ?", email), "current Argon2id is kept");
      assertEquals(401, post(server, "/api/auth/login", credentials(email, "wrong password")).statusCode());
    }
  }

  @Test
  void meValidatesBearerTokens() throws Exception {
    JsonNode acc = newAccount("secret password");
    String token = acc.get("token").asText();
    JsonNode user = acc.get("user");
    String required = "Authorization token required";
    assertError(get(server, "/api/auth/me"), 401, required);
    assertError(get(server, "/api/auth/me", "Authorization", "Bearer"), 401, required);
    assertError(get(server, "/api/auth/me", "Authorization", "Bearer    "), 401, required);
    assertError(get(server, "/api/auth/me", "Authorization", "Basic " + token), 401, required);
    assertError(get(server, "/api/auth/me", "Authorization", token), 401, required);
    assertError(get(server, "/api/auth/me", "Authorization", "Bearer pk_dj_00000000000000000000000000000000"), 401, "Invalid token");
    assertError(get(server, "/api/auth/me", "Authorization", "Bearer " + token + "x"), 401, "Invalid token");

    assertNull(query("SELECT last_used FROM dj_tokens WHERE token = ?", DjTokens.storedHash(token)));
    HttpResponse<String> ok = get(server, "/api/auth/me", "Authorization", "bEaReR   " + token + "   ");
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(
        "{\"success\":true,\"user\":{\"id\":" + user.get("id") + ",\"displayName\":" + user.get("displayName")
            + ",\"email\":" + user.get("email") + ",\"slug\":" + user.get("slug") + "}}",
        ok.body());
    assertEquals("no-store", header(ok, "Cache-Control"));
    assertNotNull(query("SELECT last_used FROM dj_tokens WHERE token = ?", DjTokens.storedHash(token)));
  }

  @Test
  void meIsNotRateLimited() throws Exception {
    String token = newAccount("secret password").get("token").asText();
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> r = get(server, "/api/auth/me", "Authorization", "Bearer " + token, "X-Forwarded-For", "10.250.0.1");
      assertEquals(200, r.statusCode());
      assertNull(header(r, "RateLimit-Limit"));
    }
  }

  @Test
  void regenerateRevokesOnlyThePresentedToken() throws Exception {
    JsonNode acc = newAccount("secret password");
    String first = acc.get("token").asText();
    String email = acc.get("user").get("email").asText();
    String second = json(post(server, "/api/auth/login", credentials(email, "secret password"))).get("token").asText();

    assertError(post(server, "/api/auth/regenerate-token", ""), 401, "Authorization token required");
    assertError(post(server, "/api/auth/regenerate-token", "", "Authorization", "Bearer nope-nope-nope"), 401, "Invalid token");

    HttpResponse<String> r = post(server, "/api/auth/regenerate-token", "", "Authorization", "Bearer " + first);
    assertEquals(200, r.statusCode(), r.body());
    String fresh = json(r).get("token").asText();
    assertTrue(fresh.matches(TOKEN));
    assertEquals("{\"success\":true,\"token\":\"" + fresh + "\"}", r.body());
    assertEquals("no-store", header(r, "Cache-Control"));
    assertNotNull(header(r, "RateLimit-Remaining"));

    assertError(get(server, "/api/auth/me", "Authorization", "Bearer " + first), 401, "Invalid token");
    assertEquals(200, get(server, "/api/auth/me", "Authorization", "Bearer " + fresh).statusCode());
    assertEquals(200, get(server, "/api/auth/me", "Authorization", "Bearer " + second).statusCode(), "other tokens survive");
    assertError(post(server, "/api/auth/regenerate-token", "", "Authorization", "Bearer " + first), 401, "Invalid token");
  }

  @Test
  void aRegeneratedTokenIsRefusedByEveryNodeAtOnce() throws Exception {
    try (AuthTestServer other = AuthTestServer.start(db, Map.of("floorcast.security.trusted-proxies", "127.0.0.1"))) {
      JdbcTokenAuthenticator third = new JdbcTokenAuthenticator(TestDatabase.dataSource(db), Runnable::run);
      String old = newAccount("secret password").get("token").asText();
      assertEquals(200, get(other, "/api/auth/me", "Authorization", "Bearer " + old).statusCode());
      assertTrue(third.validate(old).toCompletableFuture().get(30, TimeUnit.SECONDS).isPresent());

      HttpResponse<String> r = post(server, "/api/auth/regenerate-token", "", "Authorization", "Bearer " + old);
      assertEquals(200, r.statusCode());
      String fresh = json(r).get("token").asText();

      assertError(get(other, "/api/auth/me", "Authorization", "Bearer " + old), 401, "Invalid token");
      assertEquals(Optional.empty(), third.validate(old).toCompletableFuture().get(30, TimeUnit.SECONDS));
      assertEquals(200, get(other, "/api/auth/me", "Authorization", "Bearer " + fresh).statusCode());
      assertEquals(
          json(get(server, "/api/auth/me", "Authorization", "Bearer " + fresh)).get("user").get("id").asLong(),
          third.validate(fresh).toCompletableFuture().get(30, TimeUnit.SECONDS).orElseThrow().id());
    }
  }

  @Test
  void postsWithoutAKnownClientHeaderAreRefused() throws Exception {
    for (String path : new String[] {"/api/auth/register", "/api/auth/login", "/api/auth/regenerate-token", "/api/auth/unknown"}) {
      HttpResponse<String> none = send(server, "POST", path, "{}", "Content-Type", "application/json", "X-Forwarded-For", freshIp());
      assertError(none, 403, "Invalid client");
      assertNull(header(none, "RateLimit-Limit"));
      for (String bad : new String[] {"pika-evil", "PIKA-WEB", "pika-web ,pika-e2e", "pika-web-x"}) {
        assertError(send(server, "POST", path, "{}", "X-Pika-Client", bad, "X-Forwarded-For", freshIp()), 403, "Invalid client");
      }
    }
    for (String ok : new String[] {"pika-web", "pika-desktop", "pika-e2e"}) {
      assertError(
          send(server, "POST", "/api/auth/login", "{}", "X-Pika-Client", ok, "X-Forwarded-For", freshIp(), "X-Requested-With", "anything"),
          400,
          "Email and password are required");
    }
    // GET /me needs no client header
    assertError(get(server, "/api/auth/me"), 401, "Authorization token required");
  }

  @Test
  void unknownAuthPathsAndMethodsAreNotFound() throws Exception {
    assertError(post(server, "/api/auth/nope", "{}"), 404, "Not found");
    assertError(post(server, "/api/auth/me", "{}"), 404, "Not found");
    assertError(get(server, "/api/auth/login"), 404, "Not found");
    assertError(get(server, "/api/auth"), 404, "Not found");
    HttpResponse<String> outside = get(server, "/api/authx/me");
    assertEquals(404, outside.statusCode());
    assertEquals(errorBody("Not found"), outside.body());
  }
}
