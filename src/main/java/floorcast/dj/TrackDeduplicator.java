package floorcast.dj;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Pika! desktop's local de-duplication (clients.md §3.3), kept by our CLI (§5): a play is recorded only if the
 * key {@code artist-title-<floor(now/60000)>} is new and the same lower-cased {@code artist-title} was not recorded
 * in the last 120 s; a broadcast is skipped when the exact {@code artist:title} equals the last broadcast, until a
 * "force sync" clears it.
 */
public final class TrackDeduplicator {
  static final long RECENT_WINDOW_MS = 120_000;

  private final Set<String> minuteKeys = new HashSet<>();
  private final Map<String, Long> recordedAt = new HashMap<>();
  private String lastBroadcast;

  /** True when this play is new and is now recorded. */
  public boolean record(String artist, String title, long nowMillis) {
    prune(nowMillis);
    String minuteKey = artist + "-" + title + "-" + Math.floorDiv(nowMillis, 60_000L);
    String lower = (artist + "-" + title).toLowerCase(Locale.ROOT);
    Long last = recordedAt.get(lower);
    if (minuteKeys.contains(minuteKey)) return false;
    if (last != null && nowMillis - last < RECENT_WINDOW_MS) return false;
    minuteKeys.add(minuteKey);
    recordedAt.put(lower, nowMillis);
    return true;
  }

  /** Marks an imported play as recorded at its play time (history import, clients.md §6). */
  public void markRecorded(String artist, String title, long playedAtMillis) {
    minuteKeys.add(artist + "-" + title + "-" + Math.floorDiv(playedAtMillis, 60_000L));
    recordedAt.merge((artist + "-" + title).toLowerCase(Locale.ROOT), playedAtMillis, Math::max);
  }

  /** True (and remembered) unless this exact {@code artist:title} was the last broadcast. */
  public boolean claimBroadcast(String artist, String title) {
    String key = artist + ":" + title;
    if (key.equals(lastBroadcast)) return false;
    lastBroadcast = key;
    return true;
  }

  /** "Force sync": the next broadcast goes out even when it repeats the last one. */
  public void forceSync() {
    lastBroadcast = null;
  }

  private void prune(long nowMillis) {
    long currentMinute = Math.floorDiv(nowMillis, 60_000L);
    for (Iterator<String> it = minuteKeys.iterator(); it.hasNext(); ) {
      String k = it.next();
      long minute = Long.parseLong(k.substring(k.lastIndexOf('-') + 1));
      if (currentMinute - minute > 10) it.remove();
    }
    recordedAt.values().removeIf(t -> nowMillis - t > 10 * RECENT_WINDOW_MS);
  }
}
