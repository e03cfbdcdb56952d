package floorcast.dj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Only a refusal of the token (401) is a reason for the client to stop; anything else is "could not check". */
class AccountCheckTest {
  @Test
  void onlyA401RefusesTheToken() throws Exception {
    AtomicInteger status = new AtomicInteger();
    AtomicReference<String> body = new AtomicReference<>();
    AtomicReference<String> authorization = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/auth/me", exchange -> {
      authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status.get(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    HttpClient http = HttpClient.newHttpClient();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    try {
      status.set(200);
      body.set("{\"success\":true,\"user\":{\"id\":1,\"displayName\":\"DJ Smooth\"}}");
      AccountCheck.Result ok = AccountCheck.me(http, base, "pk_dj_0123456789");
      assertEquals("DJ Smooth", ok.displayName());
      assertEquals("Bearer pk_dj_0123456789", authorization.get());

      status.set(401);
      body.set("{\"error\":\"Invalid token\"}");
      AccountCheck.Result refused = AccountCheck.me(http, base, "pk_dj_0123456789");
      assertTrue(refused.refused());
      assertEquals("Invalid token", refused.error());
      assertNull(refused.displayName());

      for (int s : new int[] {429, 500, 503}) {
        status.set(s);
        body.set(s == 429 ? "{\"error\":\"Too many requests\"}" : "");
        AccountCheck.Result unsure = AccountCheck.me(http, base, "pk_dj_0123456789");
        assertFalse(unsure.refused(), "HTTP " + s + " does not refuse the token");
        assertNull(unsure.displayName());
      }
    } finally {
      server.stop(0);
    }
    AccountCheck.Result unreachable = AccountCheck.me(http, base, "pk_dj_0123456789");
    assertFalse(unreachable.refused());
    assertTrue(unreachable.error().startsWith("server not reachable"), unreachable.error());
  }
}
