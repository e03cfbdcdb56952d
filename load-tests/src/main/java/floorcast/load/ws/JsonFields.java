package floorcast.load.ws;

/**
 * Just enough reading of the server's compact JSON (no spaces, as Jackson writes it) to drive the behaviours:
 * string and integer fields at the top level of the small messages the load clients react to.
 */
final class JsonFields {
  private JsonFields() {}

  static String string(String json, String field) {
    String key = "\"" + field + "\":\"";
    int at = json.indexOf(key);
    if (at < 0) return null;
    int start = at + key.length();
    int end = json.indexOf('"', start);
    return end < 0 ? null : json.substring(start, end);
  }

  static long integer(String json, String field, long absent) {
    String key = "\"" + field + "\":";
    int at = json.indexOf(key);
    return at < 0 ? absent : integerAt(json, at + key.length(), absent);
  }

  /** The (optionally negative) decimal integer starting at index i, or absent when there are no digits. */
  static long integerAt(String s, int i, long absent) {
    boolean negative = i < s.length() && s.charAt(i) == '-';
    if (negative) i++;
    long value = 0;
    int digits = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      value = value * 10 + (s.charAt(i) - '0');
      i++;
      digits++;
    }
    if (digits == 0) return absent;
    return negative ? -value : value;
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') b.append('\\');
      b.append(c);
    }
    return b.append('"').toString();
  }
}
