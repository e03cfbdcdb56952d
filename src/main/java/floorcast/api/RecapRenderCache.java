package floorcast.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.http.javadsl.model.HttpEntity;

/**
 * Rendered recap bodies (rest.md §4.4) per node, keyed by session and variant (owner with polls, or public), each
 * labelled with the session's {@code read_version} it was built from and the instant from which its content no
 * longer depends on the clock. {@link #lookup} hands a copy out only for the same version and a {@code now} at or
 * after that instant: exactly when a fresh query would render the same bytes. This is not a cache in rest.md §1's
 * sense (nothing is served that a fresh query would not produce); see docs/architecture.md.
 *
 * <p>Bounded by the bytes of the bodies it holds ({@code floorcast.readside.recap-cache-bytes}); Caffeine evicts the
 * least valuable entries (W-TinyLFU) when the sum exceeds it. A body larger than the whole bound is not kept.
 */
public final class RecapRenderCache {
  /** Session and variant. */
  record Key(String sessionId, boolean owner) {}

  /** A rendered body, the version it shows and the first instant it is valid at. */
  record Entry(long readVersion, Instant stableFrom, HttpEntity.Strict body) {
    int bytes() {
      return body.getData().size();
    }
  }

  private final long maxBytes;
  private final Cache<Key, Entry> entries;
  private final LongAdder served = new LongAdder();

  public RecapRenderCache(long maxBytes) {
    if (maxBytes < 0) throw new IllegalArgumentException("recap cache bound below 0: " + maxBytes);
    this.maxBytes = maxBytes;
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .<Key, Entry>weigher((k, e) -> e.bytes())
            .executor(Runnable::run) // evict on the writing thread: the bound holds right after each put
            .build();
  }

  /** The stored body, if it shows {@code readVersion} and is valid at {@code now}. */
  Optional<HttpEntity.Strict> lookup(String sessionId, boolean owner, long readVersion, Instant now) {
    Entry e = entries.getIfPresent(new Key(sessionId, owner));
    if (e == null || e.readVersion() != readVersion || now.isBefore(e.stableFrom())) return Optional.empty();
    served.increment();
    return Optional.of(e.body());
  }

  /** Keeps a body; {@code stableFrom} null (the content shows the clock) or a body over the bound is not kept. */
  void store(String sessionId, boolean owner, long readVersion, Instant stableFrom, HttpEntity.Strict body) {
    if (stableFrom == null || body.getData().size() > maxBytes) return;
    Key key = new Key(sessionId, owner);
    Entry entry = new Entry(readVersion, stableFrom, body);
    // never replace a newer version with an older one (two requests racing past a bump)
    entries.asMap().merge(key, entry, (old, neu) -> neu.readVersion() >= old.readVersion() ? neu : old);
  }

  /** Bytes of the bodies held now (after pending evictions). */
  public long bytes() {
    entries.cleanUp();
    return entries.policy().eviction().flatMap(ev -> ev.weightedSize().stream().boxed().findFirst()).orElse(0L);
  }

  /** Entries held now (after pending evictions). */
  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  /** Requests answered with a stored body since start. */
  public long hits() {
    return served.sum();
  }

  public long maxBytes() {
    return maxBytes;
  }
}
