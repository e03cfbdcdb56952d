package floorcast.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * DJ API tokens (rest.md §3): {@code pk_dj_} + 32 lower-case hex characters of 16 bytes from {@link SecureRandom};
 * only {@code SHA-256(token)} in lower-case hex is stored. A fast hash is right for 128-bit random secrets (nothing
 * to brute-force), and it keeps tokens imported from Pika! valid.
 */
public final class DjTokens {
  public static final String PREFIX = "pk_dj_";
  private static final int RANDOM_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private DjTokens() {}

  public static String newRawToken() {
    byte[] b = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(b);
    return PREFIX + HEX.formatHex(b);
  }

  /** SHA-256 of the UTF-8 bytes, 64 lower-case hex characters: the {@code dj_tokens.token} column. */
  public static String storedHash(String rawToken) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HEX.formatHex(md.digest(rawToken.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
