package floorcast.readside;

/** PostgreSQL {@code text} cannot hold U+0000; input carrying it is refused or ignored instead of failing with 500. */
public final class StoredText {
  private StoredText() {}

  public static boolean storable(String s) {
    return s != null && s.indexOf('\u0000') < 0;
  }
}
