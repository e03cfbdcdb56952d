package floorcast.api;

import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import floorcast.account.AccountError;
import floorcast.account.Accounts;
import floorcast.account.AuthOutcome;
import floorcast.account.DjAccount;
import floorcast.account.PasswordHasher;
import floorcast.account.TokenAuthenticator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/auth/*} of rest.md §4.10. Order per request: path under /api/auth → client header (§1.2, 403) →
 * for register/login/regenerate the shared rate limit (§5, 429) → the route's own checks. Every response under
 * /api/auth carries {@code Cache-Control: no-store} (tokens), including 403/404/429.
 */
public final class AuthRoutes {
  private static final Logger log = LoggerFactory.getLogger(AuthRoutes.class);

  static final String TOO_MANY = "Too many requests, please try again later";
  static final String REGISTRATION_FAILED = "Registration failed";
  static final String LOGIN_FAILED = "Login failed";
  static final String REGENERATE_FAILED = "Failed to regenerate token";
  private static final HttpHeader NO_STORE = RawHeader.create("Cache-Control", "no-store");

  private final ActorSystem<?> system;
  private final Accounts accounts;
  private final AuthRateLimiter limiter;
  private final ClientIpResolver clientIps;
  private final long maxBodyBytes;

  public AuthRoutes(
      ActorSystem<?> system, Accounts accounts, AuthRateLimiter limiter, ClientIpResolver clientIps, long maxBodyBytes) {
    this.system = system;
    this.accounts = accounts;
    this.limiter = limiter;
    this.clientIps = clientIps;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Everything the auth routes need on one node: the password-hashing pool (stopped with the actor system),
   * accounts on the application pool, the cluster-wide limiter.
   */
  public static AuthRoutes create(ActorSystem<?> system, DataSource dataSource, Executor jdbc, SecuritySettings s) {
    PasswordHasher hasher = new PasswordHasher(s.hashingThreads(), s.hashingQueue());
    system.getWhenTerminated().thenRun(hasher::close);
    return new AuthRoutes(
        system,
        new Accounts(dataSource, jdbc, hasher),
        new AuthRateLimiter(dataSource, jdbc, s.authRateLimit(), s.authRateWindow()),
        s.clientIpResolver(),
        s.maxBodyBytes());
  }

  /** For the /ws gateway (REGISTER_SESSION.token): the same uncached validation as these routes. */
  public TokenAuthenticator tokens() {
    return accounts.tokens();
  }

  public Route route() {
    return pathPrefix(
        segment("api").slash("auth"),
        () ->
            extractUnmatchedPath(
                rest -> {
                  // "/api/authx" is not under /api/auth
                  if (!rest.isEmpty() && !rest.startsWith("/")) return reject();
                  return respondWithHeader(
                      NO_STORE,
                      () ->
                          extractRequest(
                              request -> {
                                if (!ClientHeaderCheck.passes(request)) {
                                  return complete(JsonResponses.error(403, ClientHeaderCheck.INVALID_CLIENT));
                                }
                                return concat(
                                    endpoint("register", HttpMethods.POST, () -> limited(request, REGISTRATION_FAILED, () -> register(request))),
                                    endpoint("login", HttpMethods.POST, () -> limited(request, LOGIN_FAILED, () -> login(request))),
                                    endpoint("me", HttpMethods.GET, () -> completeWithFuture(me(request))),
                                    endpoint(
                                        "regenerate-token",
                                        HttpMethods.POST,
                                        () -> limited(request, REGENERATE_FAILED, () -> regenerate(request))),
                                    complete(JsonResponses.error(404, JsonResponses.NOT_FOUND)));
                              }));
                }));
  }

  private static Route endpoint(String name, HttpMethod method, Supplier<Route> inner) {
    return pathPrefix(name, () -> pathEndOrSingleSlash(() -> method(method, inner)));
  }

  /** rest.md §5: count first, then run; RateLimit-* headers on every counted response. */
  private Route limited(HttpRequest request, String failure, Supplier<CompletionStage<HttpResponse>> handler) {
    String ip = RateLimitKey.of(RequestClientIp.of(request, clientIps));
    CompletionStage<HttpResponse> response =
        limiter
            .hit(ip)
            .thenCompose(
                d -> {
                  if (!d.allowed()) {
                    return done(
                        JsonResponses.error(429, TOO_MANY)
                            .addHeaders(rateHeaders(d))
                            .addHeader(RawHeader.create("Retry-After", Long.toString(d.resetSeconds()))));
                  }
                  return recover(handler.get(), failure).thenApply(r -> r.addHeaders(rateHeaders(d)));
                })
            .exceptionally(t -> failed(failure, t));
    return completeWithFuture(response);
  }

  private static List<HttpHeader> rateHeaders(AuthRateLimiter.Decision d) {
    return List.of(
        RawHeader.create("RateLimit-Limit", Integer.toString(d.limit())),
        RawHeader.create("RateLimit-Remaining", Integer.toString(d.remaining())),
        RawHeader.create("RateLimit-Reset", Long.toString(d.resetSeconds())));
  }

  private CompletionStage<HttpResponse> register(HttpRequest request) {
    return body(request)
        .thenCompose(
            b ->
                accounts.register(
                    RequestBodies.stringField(b, "email"),
                    RequestBodies.stringField(b, "password"),
                    RequestBodies.stringField(b, "displayName")))
        .thenApply(outcome -> granted(outcome, 201));
  }

  private CompletionStage<HttpResponse> login(HttpRequest request) {
    return body(request)
        .thenCompose(
            b -> accounts.login(RequestBodies.stringField(b, "email"), RequestBodies.stringField(b, "password")))
        .thenApply(outcome -> granted(outcome, 200));
  }

  private CompletionStage<HttpResponse> me(HttpRequest request) {
    Optional<String> token = BearerToken.of(request);
    if (token.isEmpty()) return done(refusal(AccountError.TOKEN_REQUIRED));
    CompletionStage<HttpResponse> r =
        accounts
            .me(token.get())
            .thenApply(
                account -> {
                  if (account.isEmpty()) return refusal(AccountError.INVALID_TOKEN);
                  DjAccount a = account.get();
                  ObjectNode user = JsonResponses.object();
                  user.put("id", a.id()).put("displayName", a.displayName()).put("email", a.email()).put("slug", a.slug());
                  ObjectNode body = JsonResponses.object().put("success", true);
                  body.set("user", user);
                  return JsonResponses.json(200, body);
                });
    return recover(r, JsonResponses.INTERNAL_ERROR);
  }

  private CompletionStage<HttpResponse> regenerate(HttpRequest request) {
    Optional<String> token = BearerToken.of(request);
    if (token.isEmpty()) return done(refusal(AccountError.TOKEN_REQUIRED));
    return accounts
        .regenerate(token.get())
        .thenApply(
            fresh -> {
              if (fresh.isEmpty()) return refusal(AccountError.INVALID_TOKEN);
              log.info("DJ token regenerated");
              return JsonResponses.json(200, JsonResponses.object().put("success", true).put("token", fresh.get()));
            });
  }

  private CompletionStage<Optional<JsonNode>> body(HttpRequest request) {
    return RequestBodies.read(request, maxBodyBytes, system).thenApply(RequestBodies::jsonObject);
  }

  private static HttpResponse granted(AuthOutcome outcome, int status) {
    if (outcome instanceof AuthOutcome.Refused r) return refusal(r.error());
    AuthOutcome.Granted g = (AuthOutcome.Granted) outcome;
    DjAccount a = g.account();
    ObjectNode user = JsonResponses.object();
    user.put("id", a.id()).put("email", a.email()).put("displayName", a.displayName()).put("slug", a.slug());
    ObjectNode body = JsonResponses.object().put("success", true);
    body.set("user", user);
    body.put("token", g.rawToken());
    return JsonResponses.json(status, body);
  }

  static HttpResponse refusal(AccountError e) {
    return JsonResponses.error(status(e), e.text());
  }

  static int status(AccountError e) {
    switch (e) {
      case EMAIL_TAKEN:
      case DISPLAY_NAME_TAKEN:
        return 409;
      case INVALID_CREDENTIALS:
      case TOKEN_REQUIRED:
      case INVALID_TOKEN:
        return 401;
      default:
        return 400;
    }
  }

  private static CompletionStage<HttpResponse> recover(CompletionStage<HttpResponse> r, String failure) {
    return r.exceptionally(t -> failed(failure, t));
  }

  /** A failed stage: 413 for the body limit, else the route's 500 text (logged, never sent: no stack, no SQL). */
  private static HttpResponse failed(String failure, Throwable t) {
    if (RequestBodies.tooLarge(t)) return JsonResponses.error(413, JsonResponses.PAYLOAD_TOO_LARGE);
    Throwable cause = t.getCause() != null ? t.getCause() : t;
    log.error("auth route failed ({}): {}", failure, cause.toString());
    return JsonResponses.error(500, failure);
  }

  private static <T> CompletionStage<T> done(T v) {
    return CompletableFuture.completedFuture(v);
  }
}
