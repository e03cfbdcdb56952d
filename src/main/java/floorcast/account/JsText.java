package floorcast.account;

/**
 * JavaScript's notion of white space ({@code \s} and {@code String.prototype.trim}), which the Pika! server used for
 * every "trimmed" field and for the e-mail pattern. Java's {@code strip()} and {@code \s} differ (no-break spaces,
 * U+FEFF, U+001C–U+001F), so the rules of rest.md §4.10 and §7 use this class.
 */
public final class JsText {
  /** The members of ECMAScript WhiteSpace and LineTerminator, as a regex character-class body. */
  public static final String WHITESPACE_CLASS =
      "\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";

  private JsText() {}

  public static boolean isWhitespace(char c) {
    switch (c) {
      case '\t': case '\n': case '\u000B': case '\f': case '\r': case ' ':
      case '\u00A0': case '\u1680': case '\u2028': case '\u2029': case '\u202F': case '\u205F':
      case '\u3000': case '\uFEFF':
        return true;
      default:
        return c >= '\u2000' && c <= '\u200A';
    }
  }

  /** {@code String.prototype.trim}. */
  public static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isWhitespace(s.charAt(start))) start++;
    while (end > start && isWhitespace(s.charAt(end - 1))) end--;
    return s.substring(start, end);
  }
}
