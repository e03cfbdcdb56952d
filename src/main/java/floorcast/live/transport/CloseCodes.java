package floorcast.live.transport;

/** The close codes and reasons of protocol.md §17 that the transport itself uses. */
final class CloseCodes {
  static final int GOING_AWAY = 1001;
  static final int PROTOCOL_ERROR = 1002;
  static final int TOO_BIG = 1009;
  static final int INTERNAL_ERROR = 1011;
  static final int SERVER_RESTARTING = 1012;
  static final int TRY_AGAIN_LATER = 1013;
  /** Not sent: reported for a connection that ended without a Close frame from the server (RFC 6455 §7.1.5). */
  static final int ABNORMAL = 1006;
  /** Not sent as such: an empty Close frame echoed to a peer that gave no code (RFC 6455 §7.1.5). */
  static final int NO_STATUS = 1005;

  static final String IDLE_TIMEOUT = "Idle timeout";
  static final String MESSAGE_TOO_LARGE = "Message too large";
  static final String SERVER_RESTARTING_REASON = "Server restarting";
  static final String CLIENT_TOO_SLOW = "Client too slow";

  private CloseCodes() {}

  /** A Close frame's payload is at most 125 bytes: 2 for the code, the rest for the UTF-8 reason. */
  static String fitReason(String reason) {
    if (reason == null) return "";
    String r = reason;
    while (r.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) r = r.substring(0, r.length() - 1);
    return r;
  }

  /**
   * For a close the server initiates: protocol.md §17 forbids 1000 (the Pika! desktop would end the set) and RFC 6455
   * §7.4 allows only some codes; anything else becomes 1011.
   */
  static int serverInitiated(int code) {
    return code == 1000 ? INTERNAL_ERROR : sendable(code);
  }

  /** A code that may appear in a Close frame (RFC 6455 §7.4), e.g. when echoing the peer's; else 1011. */
  static int sendable(int code) {
    boolean ok = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    return ok ? code : INTERNAL_ERROR;
  }
}
