package floorcast.api;

import static floorcast.api.RestJson.error;
import static floorcast.api.RestJson.json;
import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.account.DjAccount;
import floorcast.account.TokenAuthenticator;
import floorcast.readside.DjProfiles;
import floorcast.readside.FingerprintSync;
import floorcast.readside.GlobalStats;
import floorcast.readside.LikeJournal;
import floorcast.readside.PushSubscriptions;
import floorcast.readside.ReadVersions;
import floorcast.readside.RecentSessions;
import floorcast.readside.SessionHistory;
import floorcast.readside.SessionRecaps;
import floorcast.session.SessionSummary;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatcher0;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST routes of rest.md §4.1–§4.9 (everything but the auth routes): banner, debug dump, live lists, read-side
 * queries, fingerprint sync and push subscriptions. JDBC runs on the {@code blocking} executor, never on the
 * HTTP/actor threads. Place {@link #notFound()} after all other routes of the server.
 */
public final class ReadSideRoutes {
  private static final Logger log = LoggerFactory.getLogger(ReadSideRoutes.class);
  /** rest.md §1: bodies over 1 MiB get 413. */
  public static final long MAX_BODY_BYTES = 1024 * 1024;
  private static final Duration BODY_TIMEOUT = Duration.ofSeconds(10);
  private static final String BANNER =
      "{\"name\":\"Pika! Cloud\",\"version\":\"0.3.0\",\"message\":\"Welcome to Pika! Cloud API\"}";

  private final Executor blocking;
  private final LiveSessionsView live;
  private final TokenAuthenticator tokens;
  private final boolean debugEnabled;
  private final ReadSideCache cache;
  private final Clock clock;
  private final SessionHistory history;
  private final RecentSessions recent;
  private final SessionRecaps recaps;
  private final ReadVersions versions;
  private final RecapRenderCache rendered;
  private final FingerprintSync fingerprints;
  private final GlobalStats stats;
  private final DjProfiles profiles;
  private final LikeJournal likes;
  private final PushSubscriptions push;

  /** Default of {@code floorcast.readside.recap-cache-bytes}. */
  public static final long DEFAULT_RECAP_CACHE_BYTES = 64L * 1024 * 1024;

  public ReadSideRoutes(
      DataSource dataSource,
      Executor blocking,
      LiveSessionsView live,
      TokenAuthenticator tokens,
      boolean debugEnabled,
      Duration cacheTtl,
      long recapCacheBytes,
      Clock clock) {
    this.blocking = blocking;
    this.live = live;
    this.tokens = tokens;
    this.debugEnabled = debugEnabled;
    this.cache = new ReadSideCache(cacheTtl, blocking);
    this.clock = clock;
    this.history = new SessionHistory(dataSource);
    this.recent = new RecentSessions(dataSource);
    this.recaps = new SessionRecaps(dataSource);
    this.versions = new ReadVersions(dataSource);
    this.rendered = new RecapRenderCache(recapCacheBytes);
    this.fingerprints = new FingerprintSync(dataSource);
    this.stats = new GlobalStats(dataSource);
    this.profiles = new DjProfiles(dataSource);
    this.likes = new LikeJournal(dataSource);
    this.push = new PushSubscriptions(dataSource);
  }

  /**
   * The routes as a node runs them: {@code /debug/sessions} per {@link DebugEndpoints}, cache TTL from
   * {@code floorcast.readside.rest-cache-ttl}, recap render cache bound from {@code floorcast.readside.recap-cache-bytes}.
   */
  public static ReadSideRoutes fromConfig(
      com.typesafe.config.Config config,
      DataSource dataSource,
      Executor blocking,
      LiveSessionsView live,
      TokenAuthenticator tokens) {
    return new ReadSideRoutes(
        dataSource,
        blocking,
        live,
        tokens,
        DebugEndpoints.enabled(config),
        config.getDuration("floorcast.readside.rest-cache-ttl"),
        config.getBytes("floorcast.readside.recap-cache-bytes"),
        Clock.systemUTC());
  }

  /** Unknown route or method (rest.md §1): the last alternative of the server's route tree. */
  public static Route notFound() {
    return complete(error(404, ApiErrors.NOT_FOUND));
  }

  public Route route() {
    return concat(
                pathSingleSlash(() -> get(() -> complete(json(200, parse(BANNER))))),
                path(segment("debug").slash("sessions"), () -> get(this::debugSessions)),
                sessionRoutes(segment("api").slash("sessions")),
                sessionRoutes(segment("api").slash("session")),
                sessionRoutes(segment("sessions")),
                path(
                    segment("api").slash("stats").slash("top-tracks"),
                    () -> get(() -> completeWithFuture(topTracks()))),
                path(
                    segment("api").slash("stats").slash("global"),
                    () -> get(() -> completeWithFuture(globalTotals()))),
                path(
                    segment("api").slash("dj").slash(segment()),
                    slug -> get(() -> completeWithFuture(profile(slug)))),
                path(
                    segment("api").slash("client").slash(segment()).slash("likes"),
                    clientId -> get(() -> completeWithFuture(likeJournal(clientId)))),
                path(
                    segment("api").slash("push").slash("subscribe"),
                    () -> post(() -> withBody(body -> completeWithFuture(subscribe(body))))));
  }

  /** {S}: one of the three equivalent prefixes (rest.md §2); active/recent win over a session id. */
  private Route sessionRoutes(PathMatcher0 prefix) {
    return pathPrefix(
        prefix,
        () ->
            concat(
                pathEndOrSingleSlash(() -> get(() -> complete(json(200, ReadSideJson.liveList(liveSessions()))))),
                path("active", () -> get(this::active)),
                path("recent", () -> get(() -> completeWithFuture(recentSessions()))),
                path(segment().slash("history"), id -> get(() -> completeWithFuture(history(id)))),
                path(
                    segment().slash("recap"),
                    id ->
                        get(
                            () ->
                                optionalHeaderValueByName(
                                    "Authorization", auth -> completeWithFuture(recap(id, auth))))),
                path(
                    segment().slash("sync-fingerprints"),
                    id ->
                        post(
                            () ->
                                // by name, not by type: a value pekko-http cannot parse as a credential (e.g.
                                // "Bearer not a token") is still a present token, answered 401 Invalid token
                                optionalHeaderValueByName(
                                    "Authorization",
                                    auth -> withBody(body -> completeWithFuture(sync(id, auth, body))))))));
  }

  /**
   * The body as UTF-8, at most 1 MiB (413 otherwise, rest.md §1). A body that cannot be read counts as empty, so
   * the route answers its own 400.
   */
  private Route withBody(Function<String, Route> inner) {
    return extractRequestEntity(
        entity -> {
          OptionalLong length = entity.getContentLengthOption();
          if (length.isPresent() && length.getAsLong() > MAX_BODY_BYTES) {
            return complete(error(413, ApiErrors.PAYLOAD_TOO_LARGE));
          }
          return extractMaterializer(
              mat ->
                  onComplete(
                      entity.withSizeLimit(MAX_BODY_BYTES).toStrict(BODY_TIMEOUT.toMillis(), mat),
                      strict -> {
                        if (strict.isSuccess()) {
                          return inner.apply(strict.get().getData().decodeString(StandardCharsets.UTF_8));
                        }
                        if (sizeExceeded(strict.failed().get())) return complete(error(413, ApiErrors.PAYLOAD_TOO_LARGE));
                        return inner.apply("");
                      }));
        });
  }

  private static boolean sizeExceeded(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) if (c instanceof EntityStreamSizeException) return true;
    return false;
  }

  private List<SessionSummary> liveSessions() {
    List<SessionSummary> list = new ArrayList<>();
    for (SessionSummary s : live.liveSessions()) if (s.live()) list.add(s);
    list.sort(SessionSummary.OLDEST_FIRST);
    return list;
  }

  private Route debugSessions() {
    if (!debugEnabled) return complete(error(403, ApiErrors.DEBUG_DISABLED));
    return complete(json(200, ReadSideJson.debug(liveSessions(), clock.instant())));
  }

  private Route active() {
    try {
      return complete(json(200, ReadSideJson.active(liveSessions())));
    } catch (RuntimeException e) {
      log.error("GET /api/sessions/active failed", e);
      return complete(error(500, ApiErrors.INTERNAL));
    }
  }

  private CompletionStage<HttpResponse> recentSessions() {
    return answer(
        cache.get(ReadSideCache.Key.RECENT, unchecked(recent::recent)),
        list -> json(200, ReadSideJson.recent(list)),
        () -> json(500, RestJson.array()));
  }

  private CompletionStage<HttpResponse> history(String sessionId) {
    return answer(
        query(() -> history.newestPlays(sessionId)),
        plays -> json(200, ReadSideJson.history(plays)),
        () -> json(500, RestJson.array()));
  }

  /**
   * Owner = valid token of the session's account; anything else is the public recap, never an error. One primary-key
   * lookup reads the session's read version and owner; a body rendered from that same version (and valid at this
   * instant, see {@link SessionRecaps.VersionedRecap}) is served as it is, anything else is computed, rendered and
   * kept. The bytes are always those a fresh query would produce.
   */
  private CompletionStage<HttpResponse> recap(String sessionId, Optional<String> authorization) {
    CompletionStage<HttpResponse> result =
        viewer(authorization)
            .thenCompose(account -> query(() -> recapResponse(sessionId, account.map(DjAccount::id).orElse(null))));
    return answer(result, r -> r, () -> error(500, ApiErrors.RECAP_FAILED));
  }

  private HttpResponse recapResponse(String sessionId, Long viewerUserId) throws Exception {
    Optional<ReadVersions.Stamp> stamp = versions.stamp(sessionId);
    if (stamp.isEmpty()) return error(404, ApiErrors.SESSION_NOT_FOUND);
    Instant now = clock.instant();
    boolean owner = viewerUserId != null && viewerUserId.equals(stamp.get().djUserId());
    Optional<HttpEntity.Strict> copy = rendered.lookup(sessionId, owner, stamp.get().version(), now);
    if (copy.isPresent()) return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(copy.get());
    Optional<SessionRecaps.VersionedRecap> fresh = recaps.versioned(sessionId, viewerUserId, now);
    if (fresh.isEmpty()) return error(404, ApiErrors.SESSION_NOT_FOUND);
    SessionRecaps.VersionedRecap v = fresh.get();
    HttpEntity.Strict body =
        HttpEntities.create(
            ContentTypes.APPLICATION_JSON, ByteString.fromArrayUnsafe(RestJson.MAPPER.writeValueAsBytes(ReadSideJson.recap(v.recap()))));
    rendered.store(sessionId, v.owner(), v.readVersion(), v.stableFrom(), body);
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(body);
  }

  /** The recap render cache of this node (tests and metrics). */
  public RecapRenderCache recapCache() {
    return rendered;
  }

  /** A missing/malformed/unknown token reads as "no viewer" (rest.md §4.4). */
  private CompletionStage<Optional<DjAccount>> viewer(Optional<String> authorization) {
    Optional<String> token = OptionalBearerToken.from(authorization);
    if (token.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
    return tokens.validate(token.get()).exceptionally(e -> Optional.empty());
  }

  /** rest.md §4.5, checks in the documented order. */
  private CompletionStage<HttpResponse> sync(String sessionId, Optional<String> authorization, String body) {
    Optional<String> token = OptionalBearerToken.from(authorization);
    CompletionStage<Optional<DjAccount>> account =
        token.isEmpty() ? CompletableFuture.completedFuture(Optional.empty()) : tokens.validate(token.get());
    CompletionStage<HttpResponse> result =
        account.thenCompose(
            acc -> {
              if (token.isPresent() && acc.isEmpty()) {
                return CompletableFuture.completedFuture(error(401, ApiErrors.INVALID_TOKEN));
              }
              return query(
                  () -> {
                    Optional<FingerprintSync.SessionAccess> access = fingerprints.access(sessionId);
                    if (access.isEmpty()) return error(404, ApiErrors.SESSION_NOT_FOUND);
                    FingerprintSync.Mode mode;
                    if (acc.isPresent()) {
                      if (!Long.valueOf(acc.get().id()).equals(access.get().djUserId())) {
                        return error(403, ApiErrors.NOT_SESSION_OWNER);
                      }
                      mode = FingerprintSync.Mode.OWNER;
                    } else {
                      if (!access.get().fillInAllowed(clock.instant())) return error(401, ApiErrors.TOKEN_REQUIRED);
                      mode = FingerprintSync.Mode.FILL_IN;
                    }
                    FingerprintRequest request = FingerprintRequest.parse(body);
                    if (request.error() != null) return error(400, request.error());
                    int synced = fingerprints.sync(sessionId, request.entries(), mode);
                    return json(
                        200,
                        RestJson.object()
                            .put("synced", synced)
                            .put("total", request.entries().size())
                            .put("sessionId", sessionId));
                  });
            });
    return answer(result, r -> r, () -> error(500, ApiErrors.SYNC_FAILED));
  }

  private CompletionStage<HttpResponse> topTracks() {
    return answer(
        cache.get(ReadSideCache.Key.TOP_TRACKS, unchecked(stats::topTracks)),
        list -> json(200, ReadSideJson.topTracks(list)),
        () -> json(500, RestJson.array()));
  }

  private CompletionStage<HttpResponse> globalTotals() {
    return answer(
        cache.get(ReadSideCache.Key.GLOBAL, unchecked(stats::totals)),
        totals -> json(200, ReadSideJson.totals(totals)),
        () -> json(500, ReadSideJson.totals(new GlobalStats.Totals(0, 0, 0))));
  }

  private CompletionStage<HttpResponse> profile(String slug) {
    return answer(
        query(() -> profiles.bySlug(slug)),
        p -> p.map(x -> json(200, ReadSideJson.profile(x))).orElseGet(() -> error(404, ApiErrors.DJ_NOT_FOUND)),
        () -> error(500, ApiErrors.PROFILE_FAILED));
  }

  private CompletionStage<HttpResponse> likeJournal(String clientId) {
    if (!LikeJournal.validClientId(clientId)) {
      return CompletableFuture.completedFuture(error(400, ApiErrors.INVALID_CLIENT_ID));
    }
    return answer(
        query(() -> likes.likesOf(clientId)),
        list -> json(200, ReadSideJson.likes(clientId, list)),
        () -> error(500, ApiErrors.LIKES_FAILED));
  }

  private CompletionStage<HttpResponse> subscribe(String body) {
    Optional<PushSubscriptions.Subscription> subscription = PushSubscriptionRequest.parse(body);
    if (subscription.isEmpty()) return CompletableFuture.completedFuture(error(400, ApiErrors.INVALID_SUBSCRIPTION));
    return answer(
        query(
            () -> {
              push.upsert(subscription.get(), clock.instant());
              return Boolean.TRUE;
            }),
        ok -> json(200, RestJson.object().put("success", true)),
        () -> error(500, ApiErrors.SUBSCRIPTION_FAILED));
  }

  private <T> CompletableFuture<T> query(Callable<T> work) {
    return CompletableFuture.supplyAsync(unchecked(work), blocking);
  }

  private static <T> java.util.function.Supplier<T> unchecked(Callable<T> work) {
    return () -> {
      try {
        return work.call();
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    };
  }

  /** Maps success through {@code ok}; any failure is logged and answered with the route's documented 500 body. */
  private static <T> CompletionStage<HttpResponse> answer(
      CompletionStage<T> stage, Function<T, HttpResponse> ok, java.util.function.Supplier<HttpResponse> failure) {
    return stage.handle(
        (value, e) -> {
          if (e == null) {
            try {
              return ok.apply(value);
            } catch (RuntimeException mapping) {
              e = mapping;
            }
          }
          log.error("REST read-side request failed", e);
          return failure.get();
        });
  }

  private static JsonNode parse(String json) {
    try {
      return RestJson.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
