package floorcast.live.protocol;

import java.security.SecureRandom;

/** Server-generated session ids of protocol.md §3.1: {@code session_<epoch-ms>_<8 random base-36 chars>}. */
final class SessionIdGenerator {
  private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom random = new SecureRandom();

  private SessionIdGenerator() {}

  static String next(long epochMillis) {
    StringBuilder id = new StringBuilder(30).append("session_").append(epochMillis).append('_');
    for (int i = 0; i < 8; i++) id.append(BASE36[random.nextInt(36)]);
    return id.toString();
  }
}
