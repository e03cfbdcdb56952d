package floorcast.api;

import java.util.Optional;

/**
 * The optional {@code Authorization: Bearer <token>} of the recap and fingerprint routes (rest.md §4.4, §4.5): scheme
 * case-insensitive, token trimmed (rest.md §3 "Bearer parsing"). Absent, malformed or empty all read as "no token".
 */
public final class OptionalBearerToken {
  private OptionalBearerToken() {}

  /** Empty for an absent or malformed header or an empty token. */
  public static Optional<String> from(Optional<String> authorizationHeader) {
    return authorizationHeader.flatMap(BearerToken::parse);
  }
}
