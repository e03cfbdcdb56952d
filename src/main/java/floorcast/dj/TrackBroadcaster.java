package floorcast.dj;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * From a new VirtualDJ play to a {@code BROADCAST_TRACK} (clients.md §5): local de-duplication (§3.3), sanitised
 * values, at most one broadcast per 5 s with the newest waiting track replacing an older one, then the reliable
 * sender. Loop thread only.
 */
public final class TrackBroadcaster {
  private final String sessionId;
  private final TrackDeduplicator dedup;
  private final BroadcastThrottle<ObjectNode> throttle;
  private final ReliableSender sender;
  private final ScheduledExecutorService loop;
  private final LongSupplier clock;
  private final DjOutput out;
  private VdjDatabase database = VdjDatabase.empty();
  private ObjectNode lastTrack;
  private ScheduledFuture<?> release;

  public TrackBroadcaster(
      String sessionId,
      TrackDeduplicator dedup,
      long gapMillis,
      ReliableSender sender,
      ScheduledExecutorService loop,
      LongSupplier clock,
      DjOutput out) {
    this.sessionId = sessionId;
    this.dedup = dedup;
    this.throttle = new BroadcastThrottle<>(gapMillis);
    this.sender = sender;
    this.loop = loop;
    this.clock = clock;
    this.out = out;
  }

  /** Where BPM and key come from when the history entry has none (clients.md §6 metadata enrichment). */
  public void useDatabase(VdjDatabase database) {
    this.database = database;
  }

  /** A new play from the history file. */
  public void played(VdjEntry entry) {
    long now = clock.getAsLong();
    if (!dedup.record(entry.artist(), entry.title(), now)) {
      out.info("Skipped (played again within 2 min): " + entry.label());
      return;
    }
    if (!dedup.claimBroadcast(entry.artist(), entry.title())) return;
    VdjDatabase.Analysis scan = database.lookup(entry.path()).orElse(new VdjDatabase.Analysis(null, null));
    broadcast(TrackSanitizer.track(entry.artist(), entry.title(), scan.bpm(), scan.key()));
  }

  /** "Force sync": re-sends the last track even though it equals the last broadcast. */
  public boolean forceSync() {
    dedup.forceSync();
    if (lastTrack == null) return false;
    dedup.claimBroadcast(lastTrack.path("artist").asText(), lastTrack.path("title").asText());
    broadcast(lastTrack.deepCopy());
    return true;
  }

  /** {@code TRACK_STOPPED}: the floor shows nothing until the next track. */
  public void stop() {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("type", "TRACK_STOPPED");
    m.put("sessionId", sessionId);
    sender.submit(m);
    dedup.forceSync(); // the next track must go out even if it is the stopped one
  }

  private void broadcast(ObjectNode track) {
    lastTrack = track;
    Optional<ObjectNode> now = throttle.offer(track, clock.getAsLong());
    if (now.isPresent()) {
      submit(now.get());
      return;
    }
    out.info("Waiting for the 5 s window: " + track.path("artist").asText() + " – " + track.path("title").asText());
    scheduleRelease();
  }

  private void scheduleRelease() {
    if (release != null) release.cancel(false);
    long delay = Math.max(0, throttle.dueAt().orElse(clock.getAsLong()) - clock.getAsLong());
    release = loop.schedule(() -> throttle.poll(clock.getAsLong()).ifPresentOrElse(this::submit, () -> {
                  if (throttle.hasWaiting()) scheduleRelease();
                }), delay, TimeUnit.MILLISECONDS);
  }

  private void submit(ObjectNode track) {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("type", "BROADCAST_TRACK");
    m.put("sessionId", sessionId);
    m.set("track", track);
    m.put("version", DjLink.VERSION);
    sender.submit(m);
    out.info("Sending: " + track.path("artist").asText() + " – " + track.path("title").asText());
  }
}
