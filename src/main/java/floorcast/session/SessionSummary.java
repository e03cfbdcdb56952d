package floorcast.session;

import floorcast.serialization.CborSerializable;
import java.time.Instant;

/**
 * What the lobby, VALIDATE_SESSION, REST {@code /api/sessions[/active]}, {@code /debug/sessions} and
 * {@code /health} need to know about one session. {@code live} is false for ended and never-registered ids.
 */
public record SessionSummary(
    String sessionId,
    boolean live,
    String djName,
    Instant startedAt,
    Instant lastActivityAt,
    TrackInfo currentTrack,
    Announcement announcement,
    int listenerCount,
    boolean djConnected,
    Instant endedAt) implements CborSerializable {

  public static SessionSummary unknown(String sessionId) {
    return new SessionSummary(sessionId, false, null, null, null, null, null, 0, false, null);
  }

  /** The active announcement (protocol.md §12); {@code endsAt} may be null. */
  public record Announcement(String message, Instant timestamp, Instant endsAt) implements CborSerializable {}
}
