package floorcast.api;

/** Exact error texts of rest.md §1 and §4 (wire strings: never reword). */
public final class ApiErrors {
  public static final String NOT_FOUND = "Not found";
  public static final String PAYLOAD_TOO_LARGE = "Payload too large";
  public static final String DEBUG_DISABLED = "Not available in production";
  public static final String INTERNAL = "Internal Server Error";
  public static final String SESSION_NOT_FOUND = "Session not found";
  public static final String RECAP_FAILED = "Failed to fetch recap";
  public static final String TOKEN_REQUIRED = "Authorization token required";
  public static final String INVALID_TOKEN = "Invalid token";
  public static final String NOT_SESSION_OWNER = "Not the session owner";
  public static final String TRACKS_REQUIRED = "Invalid request: tracks array required";
  public static final String TOO_MANY_TRACKS = "Invalid request: at most 500 tracks";
  public static final String SYNC_FAILED = "Failed to sync fingerprints";
  public static final String DJ_NOT_FOUND = "DJ not found";
  public static final String PROFILE_FAILED = "Failed to fetch DJ profile";
  public static final String INVALID_CLIENT_ID = "Invalid client ID format";
  public static final String LIKES_FAILED = "Failed to fetch likes";
  public static final String INVALID_SUBSCRIPTION = "Invalid subscription";
  public static final String SUBSCRIPTION_FAILED = "Failed to register subscription";

  private ApiErrors() {}
}
