package floorcast.readside;

/**
 * The tags the session entity puts on every journal event so the read side can run {@link #COUNT} projection
 * instances in parallel (each session's events stay in one tag, so they are projected in journal order, data.md §3).
 * Both numbers are fixed forever: changing them re-routes sessions to other tags and thus other offsets.
 */
public final class ProjectionTags {
  public static final int COUNT = 8;
  private static final String PREFIX = "session-";

  private ProjectionTags() {}

  public static String tagFor(String sessionId) {
    return PREFIX + Math.floorMod(sessionId.hashCode(), COUNT);
  }

  /** The tag of projection instance {@code index} (0 … COUNT−1). */
  public static String tag(int index) {
    if (index < 0 || index >= COUNT) throw new IllegalArgumentException("tag index " + index);
    return PREFIX + index;
  }
}
