package floorcast.session;

import floorcast.serialization.CborSerializable;
import java.time.Instant;
import java.util.Comparator;

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

  /** The order of every session list (protocol.md §4.2, REST): oldest {@code startedAt} first, then by id. */
  public static final Comparator<SessionSummary> OLDEST_FIRST =
      Comparator.comparing(SessionSummary::startedAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
          .thenComparing(SessionSummary::sessionId);

  public static SessionSummary unknown(String sessionId) {
    return new SessionSummary(sessionId, false, null, null, null, null, null, 0, false, null);
  }

  /** The active announcement (protocol.md §12); {@code endsAt} may be null. */
  public record Announcement(String message, Instant timestamp, Instant endsAt) implements CborSerializable {}
}
