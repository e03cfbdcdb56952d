package floorcast.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auth limit of rest.md §5: {@code limit} requests per client IP per fixed window (default 5 per 15 min),
 * shared by register, login and regenerate-token, every request counted. Cluster-wide: the counter is one row per
 * IP in PostgreSQL ({@code auth_rate_windows}, V5), incremented by an atomic upsert that also starts a new window
 * when the old one has ended; window times use the database clock, so nodes with skewed clocks agree.
 *
 * <p>Once an IP is over its budget, this node remembers that until the window ends (Caffeine, expiring) and
 * answers without touching the database, so a flood costs at most {@code limit + 1} queries per IP per window per
 * node. Counting those refused requests would change nothing: the window is fixed and already exhausted.
 */
public final class AuthRateLimiter {
  private static final Logger log = LoggerFactory.getLogger(AuthRateLimiter.class);
  private static final long CLEANUP_EVERY_NANOS = TimeUnit.MINUTES.toNanos(5);

  private static final String HIT =
      "INSERT INTO auth_rate_windows AS w (client_ip, window_start, hits) VALUES (?, now(), 1)"
          + " ON CONFLICT (client_ip) DO UPDATE SET"
          + " window_start = CASE WHEN w.window_start <= now() - ? * interval '1 millisecond' THEN now() ELSE w.window_start END,"
          + " hits = CASE WHEN w.window_start <= now() - ? * interval '1 millisecond' THEN 1 ELSE LEAST(w.hits + 1, 1000000) END"
          + " RETURNING hits,"
          + " GREATEST(0, CEIL(EXTRACT(EPOCH FROM (window_start + ? * interval '1 millisecond' - now())) * 1000))::bigint";

  /** What the caller may do and the values of the RateLimit-* headers. */
  public record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {}

  private final DataSource dataSource;
  private final Executor jdbc;
  private final int limit;
  private final long windowMillis;
  /** IP → System.nanoTime() at which its exhausted window ends. */
  private final Cache<String, Long> exhausted;
  private final AtomicLong lastCleanup = new AtomicLong(System.nanoTime());

  public AuthRateLimiter(DataSource dataSource, Executor jdbc, int limit, Duration window) {
    if (limit < 1) throw new IllegalArgumentException("auth rate limit must be at least 1");
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.limit = limit;
    this.windowMillis = window.toMillis();
    this.exhausted = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
  }

  /** Counts one request of {@code clientIp}; a failed stage means the counter is unavailable. */
  public CompletionStage<Decision> hit(String clientIp) {
    Long until = exhausted.getIfPresent(clientIp);
    long now = System.nanoTime();
    if (until != null && until - now > 0) {
      return CompletableFuture.completedFuture(new Decision(false, limit, 0, ceilSeconds(until - now)));
    }
    return CompletableFuture.supplyAsync(() -> count(clientIp), jdbc);
  }

  private Decision count(String clientIp) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(HIT)) {
      ps.setString(1, clientIp);
      ps.setLong(2, windowMillis);
      ps.setLong(3, windowMillis);
      ps.setLong(4, windowMillis);
      int hits;
      long resetMillis;
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        hits = rs.getInt(1);
        resetMillis = rs.getLong(2);
      }
      long resetSeconds = Math.max(1, (resetMillis + 999) / 1000);
      cleanupNowAndThen(c);
      if (hits > limit) {
        exhausted.put(clientIp, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(resetMillis));
        log.info("auth rate limit hit by {}", clientIp);
        return new Decision(false, limit, 0, resetSeconds);
      }
      return new Decision(true, limit, limit - hits, resetSeconds);
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }

  /** Drops windows that ended; one node does it at a time per interval (a few rows per IP, cheap). */
  private void cleanupNowAndThen(Connection c) {
    long last = lastCleanup.get();
    long now = System.nanoTime();
    if (now - last < CLEANUP_EVERY_NANOS || !lastCleanup.compareAndSet(last, now)) return;
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM auth_rate_windows WHERE window_start < now() - ? * interval '1 millisecond'")) {
      ps.setLong(1, windowMillis);
      ps.executeUpdate();
    } catch (SQLException e) {
      log.warn("could not delete expired auth rate windows: {}", e.toString());
    }
  }

  private static long ceilSeconds(long nanos) {
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  public int limit() {
    return limit;
  }
}
