package floorcast.dj;

import java.util.Map;

/**
 * Decodes the entities VirtualDJ writes into its history tags (clients.md §6): {@code &amp; &lt; &gt; &quot; &#39;
 * &apos; &#x27; &#x2F; &nbsp;} and any numeric {@code &#NNN;} / {@code &#xHH;}. One left-to-right pass, so
 * {@code &amp;lt;} becomes {@code &lt;} and not {@code <}. Unknown or malformed references stay as written.
 */
public final class HtmlEntities {
  private static final Map<String, String> NAMED =
      Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "nbsp", "\u00a0");

  private HtmlEntities() {}

  public static String decode(String s) {
    if (s.indexOf('&') < 0) return s;
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int semi = c == '&' ? s.indexOf(';', i + 1) : -1;
      if (semi > i + 1 && semi - i <= 12) {
        String replacement = resolve(s.substring(i + 1, semi));
        if (replacement != null) {
          out.append(replacement);
          i = semi + 1;
          continue;
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static String resolve(String name) {
    String named = NAMED.get(name);
    if (named != null) return named;
    if (name.length() < 2 || name.charAt(0) != '#') return null;
    try {
      boolean hex = name.charAt(1) == 'x' || name.charAt(1) == 'X';
      String digits = hex ? name.substring(2) : name.substring(1);
      if (digits.isEmpty()) return null;
      int code = Integer.parseInt(digits, hex ? 16 : 10);
      if (!Character.isValidCodePoint(code) || code == 0) return null;
      return new String(Character.toChars(code));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
