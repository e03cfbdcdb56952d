package floorcast.account;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code slugify} of rest.md §7 (also used by the clients for profile links). */
public final class Slugs {
  private static final Pattern COMBINING_MARKS = Pattern.compile("[\\u0300-\\u036F]");
  private static final Pattern SEPARATORS = Pattern.compile("[" + JsText.WHITESPACE_CLASS + "_]+");
  private static final Pattern NOT_SLUG = Pattern.compile("[^a-z0-9-]");
  private static final Pattern DASH_RUNS = Pattern.compile("-+");
  private static final Pattern EDGE_DASHES = Pattern.compile("^-+|-+$");

  private Slugs() {}

  public static String slugify(String name) {
    String s = name.toLowerCase(Locale.ROOT);
    s = Normalizer.normalize(s, Normalizer.Form.NFD);
    s = COMBINING_MARKS.matcher(s).replaceAll("");
    s = SEPARATORS.matcher(s).replaceAll("-");
    s = NOT_SLUG.matcher(s).replaceAll("");
    s = DASH_RUNS.matcher(s).replaceAll("-");
    return EDGE_DASHES.matcher(s).replaceAll("");
  }
}
