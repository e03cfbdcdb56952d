package floorcast.live.transport;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * protocol.md §1.1: at most {@code limit} upgrade attempts per client IP per fixed window (60 s), every attempt
 * counted, per node. The bucket refills all at once at the end of each window ("intervally"), so it is a fixed
 * window starting at the IP's first attempt; an IP quiet for two windows is forgotten (its bucket would be full).
 */
final class UpgradeRateLimiter {
  private static final long MAX_TRACKED_IPS = 200_000;

  private final int limit;
  private final Duration window;
  private final Cache<String, Bucket> buckets;

  UpgradeRateLimiter(int limit, Duration window) {
    this.limit = limit;
    this.window = window;
    this.buckets =
        Caffeine.newBuilder().expireAfterAccess(window.multipliedBy(2)).maximumSize(MAX_TRACKED_IPS).build();
  }

  /** Counts one attempt; false when the IP is over its limit for the current window. */
  boolean tryAcquire(String clientIp) {
    return buckets.get(clientIp, ip -> newBucket()).tryConsume(1);
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(limit).refillIntervally(limit, window).initialTokens(limit).build())
        .build();
  }
}
