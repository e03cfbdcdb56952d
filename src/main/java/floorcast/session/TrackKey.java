package floorcast.session;

import java.util.Locale;

/**
 * The normalised track key of protocol.md §2: {@code norm(artist) + "::" + norm(title)} where norm lower-cases
 * (locale-independent), trims and collapses runs of JavaScript {@code \s} white space to one space.
 *
 * <p>One pass over the characters, no regular expression: every like, tempo vote and track broadcast computes a key
 * on its session's entity (a T3 profile had the two regex replacements at 2.7 % of the node's dispatcher time,
 * docs/benchmarks.md "Session 9"). Keys are persisted: {@code TrackKeyTest} holds this to the regex definition.
 */
public final class TrackKey {
  private TrackKey() {}

  public static String of(String artist, String title) {
    return norm(artist) + "::" + norm(title);
  }

  public static String norm(String s) {
    if (s == null) return "";
    int start = start(s);
    int end = end(s, start);
    StringBuilder collapsed = null;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (!isJsSpace(c)) {
        if (collapsed != null) collapsed.append(c);
        continue;
      }
      int runEnd = i + 1;
      while (isJsSpace(s.charAt(runEnd))) runEnd++; // a run never reaches end: end is after a non-space
      if (collapsed == null && (c != ' ' || runEnd > i + 1)) {
        collapsed = new StringBuilder(end - start).append(s, start, i);
      }
      if (collapsed != null) collapsed.append(' ');
      i = runEnd - 1;
    }
    String normalised = collapsed != null ? collapsed.toString() : s.substring(start, end);
    return normalised.toLowerCase(Locale.ROOT);
  }

  /** Trim with JavaScript white-space semantics (String.prototype.trim), used for "trimmed" fields. */
  public static String jsTrim(String s) {
    if (s == null) return null;
    int start = start(s);
    return s.substring(start, end(s, start));
  }

  private static int start(String s) {
    int i = 0;
    while (i < s.length() && isJsSpace(s.charAt(i))) i++;
    return i;
  }

  private static int end(String s, int start) {
    int i = s.length();
    while (i > start && isJsSpace(s.charAt(i - 1))) i--;
    return i;
  }

  /** JavaScript {@code \s}: [\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]. */
  static boolean isJsSpace(char c) {
    if (c <= ' ') return c == ' ' || (c >= '\t' && c <= '\r');
    if (c < '\u00a0') return false;
    return c == '\u00a0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200a') || c == '\u2028' || c == '\u2029'
        || c == '\u202f' || c == '\u205f' || c == '\u3000' || c == '\ufeff';
  }
}
