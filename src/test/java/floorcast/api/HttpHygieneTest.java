package floorcast.api;

import static floorcast.api.TestHttp.*;
import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.junit.jupiter.api.Assertions.*;

import floorcast.ops.DatabaseSettings;
import floorcast.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.HttpResponse.*;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** rest.md §1 / §1.1 around real routes: CORS per mode, security headers, 413, JSON 404/500. */
class HttpHygieneTest {
  static final String ALLOWED = "https://pika.stream";
  static AuthTestServer production;
  static AuthTestServer development;
  static AuthTestServer testMode;

  /** Extra routes standing in for the other REST routes of a node. */
  static Route[] extras() {
    Route boom = path("boom", () -> get(() -> {
      throw new IllegalStateException("SELECT password_hash FROM dj_users WHERE secret");
    }));
    Route asyncBoom = path("async-boom", () -> get(() ->
        completeWithFuture(CompletableFuture.failedFuture(new IllegalStateException("org.postgresql secret")))));
    Route echo = path("echo", () -> post(() -> entity(Unmarshaller.entityToString(),
        s -> complete(JsonResponses.json(200, "{\"length\":" + s.length() + "}")))));
    return new Route[] {boom, asyncBoom, echo};
  }

  @BeforeAll
  static void start() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    production = AuthTestServer.start(db, Map.of("floorcast.env", "production"), extras());
    development = AuthTestServer.start(db, Map.of("floorcast.env", "development"), extras());
    testMode = AuthTestServer.start(db, Map.of("floorcast.env", "test"), extras());
  }

  @AfterAll
  static void stop() {
    production.close();
    development.close();
    testMode.close();
  }

  static void assertNoCors(HttpResponse<String> r) {
    r.headers().map().keySet().forEach(k -> assertFalse(k.toLowerCase().startsWith("access-control-"), k));
  }

  @Test
  void productionEchoesAnAllowedOriginWithCredentials() throws Exception {
    for (String origin : new String[] {ALLOWED, "https://api.pika.stream", "https://staging.pika.stream", "https://staging-api.pika.stream"}) {
      HttpResponse<String> r = get(production, "/api/auth/me", "Origin", origin);
      assertEquals(401, r.statusCode());
      assertEquals(origin, header(r, "Access-Control-Allow-Origin"));
      assertEquals("true", header(r, "Access-Control-Allow-Credentials"));
      assertEquals("Origin", header(r, "Vary"));
    }
    HttpResponse<String> notFound = get(production, "/nowhere", "Origin", ALLOWED);
    assertEquals(404, notFound.statusCode());
    assertEquals(ALLOWED, header(notFound, "Access-Control-Allow-Origin"));
  }

  @Test
  void productionGivesOtherOriginsNoCorsHeadersButServesTheRequest() throws Exception {
    for (String origin : new String[] {"https://evil.example", "https://pika.stream/", "http://pika.stream", "https://pika.stream.evil.example", "null", "https://evil.pika.stream"}) {
      HttpResponse<String> r = get(production, "/api/auth/me", "Origin", origin);
      assertEquals(401, r.statusCode(), origin);
      assertEquals(errorBody("Authorization token required"), r.body());
      assertNoCors(r);
    }
    assertNoCors(get(production, "/api/auth/me"));
  }

  @Test
  void productionPreflight() throws Exception {
    HttpResponse<String> ok = send(production, "OPTIONS", "/api/auth/login", null,
        "Origin", ALLOWED, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-pika-client");
    assertEquals(204, ok.statusCode());
    assertEquals(ALLOWED, header(ok, "Access-Control-Allow-Origin"));
    assertEquals("true", header(ok, "Access-Control-Allow-Credentials"));
    assertEquals("Origin", header(ok, "Vary"));
    assertEquals("GET, POST, OPTIONS", header(ok, "Access-Control-Allow-Methods"));
    assertEquals("Content-Type, Authorization, X-Pika-Client, X-Requested-With", header(ok, "Access-Control-Allow-Headers"));
    assertEquals("600", header(ok, "Access-Control-Max-Age"));
    assertEquals("no-store", header(ok, "Cache-Control"), "an /api/auth/* response too");
    assertEquals("", ok.body());

    HttpResponse<String> refused = send(production, "OPTIONS", "/api/auth/login", null,
        "Origin", "https://evil.example", "Access-Control-Request-Method", "POST");
    assertNoCors(refused);
    assertEquals(404, refused.statusCode());
    assertEquals(errorBody("Not found"), refused.body());
  }

  @Test
  void developmentAllowsEveryOriginWithoutCredentials() throws Exception {
    HttpResponse<String> r = get(development, "/api/auth/me", "Origin", "http://localhost:3000");
    assertEquals("*", header(r, "Access-Control-Allow-Origin"));
    assertNull(header(r, "Access-Control-Allow-Credentials"));
    HttpResponse<String> pre = send(development, "OPTIONS", "/api/auth/register", null, "Origin", "https://anything.example", "Access-Control-Request-Method", "POST");
    assertEquals(204, pre.statusCode());
    assertEquals("*", header(pre, "Access-Control-Allow-Origin"));
    assertNull(header(pre, "Access-Control-Allow-Credentials"));
    assertEquals("GET, POST, OPTIONS", header(pre, "Access-Control-Allow-Methods"));
    assertEquals("600", header(pre, "Access-Control-Max-Age"));
  }

  @Test
  void testModeAllowsEveryOrigin() throws Exception {
    HttpResponse<String> r = get(testMode, "/api/auth/me", "Origin", "https://e2e.example");
    assertEquals("*", header(r, "Access-Control-Allow-Origin"));
    assertEquals("true", header(r, "Access-Control-Allow-Credentials"));
  }

  @Test
  void securityHeadersOnJsonResponses() throws Exception {
    for (HttpResponse<String> r : new HttpResponse[] {
        get(production, "/api/auth/me"), get(production, "/nowhere"), get(production, "/boom"),
        post(production, "/api/auth/login", "{}")}) {
      assertEquals("nosniff", header(r, "X-Content-Type-Options"));
      assertEquals("DENY", header(r, "X-Frame-Options"));
      assertEquals("no-referrer", header(r, "Referrer-Policy"));
      assertEquals("default-src 'none'; frame-ancestors 'none'", header(r, "Content-Security-Policy"));
      assertTrue(header(r, "Content-Type").startsWith("application/json"));
      if (r.uri().getPath().startsWith("/api/auth/")) assertEquals("no-store", header(r, "Cache-Control"));
      else assertNull(header(r, "Cache-Control"), "no caching headers outside /api/auth");
    }
  }

  @Test
  void unknownRoutesAndMethodsAreJson404() throws Exception {
    for (HttpResponse<String> r : new HttpResponse[] {
        get(production, "/nowhere"), send(production, "POST", "/nowhere", "{}"), send(production, "DELETE", "/echo", null),
        get(production, "/echo"), send(production, "PUT", "/boom", "x")}) {
      assertEquals(404, r.statusCode(), r.uri().toString());
      assertEquals(errorBody("Not found"), r.body());
    }
  }

  @Test
  void exceptionsBecomeJson500WithoutInternals() throws Exception {
    for (String path : new String[] {"/boom", "/async-boom"}) {
      HttpResponse<String> r = get(production, path);
      assertEquals(500, r.statusCode());
      assertEquals(errorBody("Internal Server Error"), r.body());
    }
  }

  @Test
  void bodiesOverOneMebibyteAre413() throws Exception {
    // declared Content-Length over the limit: refused without reading the body
    RawResponse declared = raw(production, ascii(
        "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nX-Pika-Client: pika-e2e\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1048577\r\nConnection: close\r\n\r\n"));
    assertEquals(413, declared.status());
    assertEquals(errorBody("Payload too large"), declared.body());

    RawResponse huge = raw(production, ascii(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 99999999999\r\nConnection: close\r\n\r\n"));
    assertEquals(413, huge.status());
    assertEquals(errorBody("Payload too large"), huge.body());

    // streamed (chunked) body that grows over the limit
    byte[] big = new byte[1024 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) 'a');
    HttpResponse<String> chunked = CLIENT.send(
        HttpRequest.newBuilder(production.uri("/echo")).timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(413, chunked.statusCode());
    assertEquals(errorBody("Payload too large"), chunked.body());

    // exactly 1 MiB passes
    byte[] limit = new byte[1024 * 1024];
    java.util.Arrays.fill(limit, (byte) 'a');
    HttpResponse<String> ok = CLIENT.send(
        HttpRequest.newBuilder(production.uri("/echo")).timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(limit)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("{\"length\":1048576}", ok.body());
  }
}
