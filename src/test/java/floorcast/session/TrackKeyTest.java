package floorcast.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** protocol.md §2's track key: keys are persisted, so the one-pass code must equal the regex definition exactly. */
class TrackKeyTest {
  // the definition, as JavaScript writes it: s.trim().replace(/\s+/g, " ").toLowerCase()
  private static final String JS_WS =
      "[\\t\\n\\u000B\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
  private static final Pattern RUNS = Pattern.compile(JS_WS + "+");
  // JavaScript's $ (no m flag) is the end of the input; Java's $ also matches before a final line terminator (\u0085)
  private static final Pattern EDGES = Pattern.compile("\\A" + JS_WS + "+|" + JS_WS + "+\\z");

  private static String regexTrim(String s) {
    return EDGES.matcher(s).replaceAll("");
  }

  private static String regexNorm(String s) {
    return RUNS.matcher(regexTrim(s)).replaceAll(" ").toLowerCase(Locale.ROOT);
  }

  @Test
  void examples() {
    assertEquals("delta dreambox::queen of loneliness", TrackKey.of("  Delta\u00a0 Dreambox", "Queen\tof\n\nLoneliness\u3000"));
    assertEquals("::", TrackKey.of(null, ""));
    assertEquals("a b", TrackKey.norm("A B"));
    assertEquals("a b", TrackKey.norm("a\u2028\u2029b"));
    assertEquals("", TrackKey.norm(" \t\ufeff "));
    assertEquals("x\u200bY".toLowerCase(Locale.ROOT), TrackKey.norm("X\u200bY")); // U+200B is not \s in JavaScript
    assertEquals("i\u0307stanbul", TrackKey.norm("\u0130stanbul")); // locale-independent lower case
    assertEquals("a  b", TrackKey.jsTrim("\u00a0a  b\u205f"));
    assertNull(TrackKey.jsTrim(null));
    // U+0085 is no JavaScript white space: the tab before it stays (a regex with Java's $ used to drop it)
    assertEquals("a\t\u0085", TrackKey.jsTrim(" a\t\u0085"));
    assertEquals("a \u0085", TrackKey.norm("A\t\u0085"));
  }

  @Test
  void equalsTheRegexDefinitionOnRandomStrings() {
    char[] alphabet = (
        "aZ09 ._-:" + "\t\n\u000B\f\r\u001c\u0085\u00a0\u1680\u2000\u2005\u200a\u200b\u2028\u2029\u202f\u205f\u3000"
            + "\ufeff\u00df\u0130\u03a3\ud83c\udfb5").toCharArray();
    SplittableRandom random = new SplittableRandom(20261207L);
    for (int n = 0; n < 200_000; n++) {
      int length = random.nextInt(12);
      StringBuilder b = new StringBuilder(length);
      for (int i = 0; i < length; i++) b.append(alphabet[random.nextInt(alphabet.length)]);
      String s = b.toString();
      assertEquals(regexNorm(s), TrackKey.norm(s), () -> "norm of " + escape(s));
      assertEquals(regexTrim(s), TrackKey.jsTrim(s), () -> "jsTrim of " + escape(s));
    }
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    return b.toString();
  }
}
