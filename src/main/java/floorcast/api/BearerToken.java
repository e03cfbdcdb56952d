package floorcast.api;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/** {@code Authorization: Bearer <token>} of rest.md §3: scheme case-insensitive, token trimmed. */
public final class BearerToken {
  private BearerToken() {}

  /** The token, or empty when the header is missing, not Bearer, or the token is empty. */
  public static Optional<String> of(HttpRequest request) {
    return request.getHeader("Authorization").map(HttpHeader::value).flatMap(BearerToken::parse);
  }

  static Optional<String> parse(String headerValue) {
    String v = headerValue.trim();
    int space = 0;
    while (space < v.length() && !Character.isWhitespace(v.charAt(space))) space++;
    if (!v.substring(0, space).equalsIgnoreCase("bearer")) return Optional.empty();
    String token = v.substring(space).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }
}
