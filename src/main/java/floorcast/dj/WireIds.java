package floorcast.dj;

import java.security.SecureRandom;

/** Identifier formats of clients.md §1: {@code msg_…}, {@code pika_…} and {@code client_…}, all opaque to the server. */
public final class WireIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  private WireIds() {}

  /** {@code msg_<epoch-ms>_<7 base-36>} (clients.md §3.4). */
  public static String messageId(long nowMillis) {
    return "msg_" + nowMillis + "_" + base36(7);
  }

  /** {@code pika_<epoch-ms>_<base36>}: a new DJ session id (clients.md §5). */
  public static String sessionId(long nowMillis) {
    return "pika_" + nowMillis + "_" + base36(9);
  }

  /** {@code client_<epoch-ms>_<base36>}: the DJ client's stable identity (clients.md §5). */
  public static String clientId(long nowMillis) {
    return "client_" + nowMillis + "_" + base36(9);
  }

  static String base36(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) out[i] = BASE36[RANDOM.nextInt(BASE36.length)];
    return new String(out);
  }
}
