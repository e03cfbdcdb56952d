package floorcast.api;

import static floorcast.api.TestHttp.*;
import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import floorcast.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** docs/security.md §8: passwords and tokens never reach the log, whatever the client sends. */
class SecretsNotLoggedTest {
  @Test
  void passwordsAndTokensNeverAppearInTheLog() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try (AuthTestServer s = AuthTestServer.start(TestDatabase.fresh(), Map.of("floorcast.security.trusted-proxies", "127.0.0.1"))) {
      String password = "Secret-Password-7f3a";
      JsonNode acc = json(post(s, "/api/auth/register", AuthRoutesTest.registration("log@example.com", password, "Log DJ")));
      String token = acc.get("token").asText();
      post(s, "/api/auth/login", AuthRoutesTest.credentials("log@example.com", password));
      post(s, "/api/auth/login", AuthRoutesTest.credentials("log@example.com", password + "-wrong"));
      post(s, "/api/auth/login", AuthRoutesTest.credentials("nobody@example.com", password));
      get(s, "/api/auth/me", "Authorization", "Bearer " + token);
      get(s, "/api/auth/me", "Authorization", "Bearer " + token + "' malformed");
      get(s, "/api/auth/me", "Authorization", "Bearer " + token + " x y");
      post(s, "/api/auth/regenerate-token", "", "Authorization", "Bearer " + token);
      // pekko logs asynchronously, in order: once this canary warning is in, everything before it is too
      get(s, "/api/auth/me", "X-Forwarded-For", "canary-not-an-ip");
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!logged(captured, "canary-not-an-ip") && System.nanoTime() < deadline) Thread.sleep(50);
      assertTrue(logged(captured, "canary-not-an-ip"), "the canary warning arrived");
      assertTrue(logged(captured, "login refused"), "refused logins are logged (without secrets)");
      for (String secret : new String[] {password, token, token.substring(6), floorcast.account.DjTokens.storedHash(token)}) {
        assertFalse(logged(captured, secret), "secret in the log: " + secret);
      }
    } finally {
      root.detachAppender(captured);
    }
  }

  static boolean logged(ListAppender<ILoggingEvent> a, String text) {
    List<ILoggingEvent> events = List.copyOf(a.list);
    for (ILoggingEvent e : events) {
      if (e.getFormattedMessage().contains(text)) return true;
      if (e.getThrowableProxy() != null && e.getThrowableProxy().getMessage() != null && e.getThrowableProxy().getMessage().contains(text)) return true;
    }
    return false;
  }
}
