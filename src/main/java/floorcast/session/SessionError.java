package floorcast.session;

/**
 * Every error a session (or the gateway) answers with: the exact wire text and its additive {@code code}
 * (protocol.md §1.6). The text is what Pika! clients display; never change a string.
 */
public enum SessionError {
  INTERNAL("Internal server error", "internal_error"),
  SESSION_NOT_FOUND("Session not found", "session_not_found"),
  NO_ACTIVE_SESSION("No active session found", "session_not_found"),
  SESSION_OR_CLIENT_MISSING("Session or Client ID missing", "client_id_required"),
  SESSION_HAS_ENDED("Session has ended", "session_ended"),
  SESSION_OWNED("Session owned by another DJ", "session_owned"),
  UNAUTHORIZED_TRACK_BROADCAST("Unauthorized track broadcast", "unauthorized"),
  UNAUTHORIZED_METADATA_UPDATE("Unauthorized metadata update", "unauthorized"),
  UNAUTHORIZED_TRACK_STOP("Unauthorized track stop", "unauthorized"),
  UNAUTHORIZED_END_SESSION("Unauthorized end session", "unauthorized"),
  UNAUTHORIZED_ANNOUNCEMENT("Unauthorized announcement", "unauthorized"),
  UNAUTHORIZED_CANCEL_ANNOUNCEMENT("Unauthorized cancel announcement", "unauthorized"),
  UNAUTHORIZED_POLL("Unauthorized poll attempt", "unauthorized"),
  UNAUTHORIZED_END_POLL("Unauthorized end poll", "unauthorized"),
  UNAUTHORIZED_CANCEL_POLL("Unauthorized cancel poll", "unauthorized"),
  RATE_LIMIT_TRACK("Rate limit exceeded (wait 5s)", "rate_limited"),
  RATE_LIMIT_LIKES("Rate limit exceeded (max 10/min)", "rate_limited"),
  RATE_LIMIT_BULK("Rate limit exceeded (max 5 bulk/min)", "rate_limited"),
  RATE_LIMIT_ACTIONS("Rate limit exceeded (max 30/min)", "rate_limited"),
  NO_TRACK("No track playing", "no_track"),
  TRACK_MISMATCH("Track mismatch", "track_mismatch"),
  CLIENT_ID_REQUIRED_LIKES("Client ID required for likes", "client_id_required"),
  CLIENT_ID_REQUIRED_TEMPO("Client ID required for tempo requests", "client_id_required"),
  CLIENT_ID_REQUIRED_VOTE("Client ID required to vote", "client_id_required"),
  ALREADY_LIKED("Already liked this track", "already_liked"),
  TRACK_NOT_PLAYED("Track not played in this session", "track_not_played"),
  POLL_NOT_FOUND("Poll not found", "poll_not_found"),
  POLL_NOT_FOUND_OR_ENDED("Poll not found or already ended", "poll_not_found"),
  INVALID_OPTION("Invalid option index", "invalid_option");

  private final String text;
  private final String code;

  SessionError(String text, String code) {
    this.text = text;
    this.code = code;
  }

  public String text() {
    return text;
  }

  public String code() {
    return code;
  }
}
