package floorcast.api;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Per-node cache of the three responses rest.md §1 allows to be cached ({@code {S}/recent}, top tracks, global
 * totals), at most 5 min. A failed load is not cached (Caffeine drops failed futures).
 */
public final class ReadSideCache {
  public static final Duration MAX_TTL = Duration.ofMinutes(5);

  public enum Key {
    RECENT,
    TOP_TRACKS,
    GLOBAL
  }

  private final AsyncCache<Key, Object> cache;
  private final Executor blocking;

  public ReadSideCache(Duration ttl, Executor blocking) {
    if (ttl.compareTo(MAX_TTL) > 0) throw new IllegalArgumentException("REST cache TTL above 5 min: " + ttl);
    this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).executor(blocking).buildAsync();
    this.blocking = blocking;
  }

  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> get(Key key, Supplier<T> load) {
    return (CompletableFuture<T>) cache.get(key, (k, executor) -> CompletableFuture.supplyAsync(load::get, blocking));
  }
}
