package floorcast.session;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The normalised track key of protocol.md §2: {@code norm(artist) + "::" + norm(title)} where norm lower-cases
 * (locale-independent), trims and collapses runs of JavaScript {@code \s} white space to one space.
 */
public final class TrackKey {
  // JavaScript \s: [\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]
  private static final String JS_WS = "[\\t\\n\\u000B\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
  private static final Pattern RUNS = Pattern.compile(JS_WS + "+");
  private static final Pattern EDGES = Pattern.compile("^" + JS_WS + "+|" + JS_WS + "+$");

  private TrackKey() {}

  public static String of(String artist, String title) {
    return norm(artist) + "::" + norm(title);
  }

  public static String norm(String s) {
    if (s == null) return "";
    String trimmed = EDGES.matcher(s).replaceAll("");
    return RUNS.matcher(trimmed).replaceAll(" ").toLowerCase(Locale.ROOT);
  }

  /** Trim with JavaScript white-space semantics (String.prototype.trim), used for "trimmed" fields. */
  public static String jsTrim(String s) {
    return s == null ? null : EDGES.matcher(s).replaceAll("");
  }
}
