package floorcast.readside;

import floorcast.session.DjSession;

/**
 * The tags the session entity puts on every journal event so the read side can run {@link #COUNT} projection
 * instances in parallel (each session's events stay in one tag, so they are projected in journal order, data.md §3).
 * Both numbers are fixed forever: changing them re-routes sessions to other tags and thus other offsets.
 */
public final class ProjectionTags {
  /** The entity owns the tagging ({@link DjSession#tagFor}); the read side only reads it. */
  public static final int COUNT = DjSession.TAG_COUNT;

  private static final String PREFIX = "session-";

  private ProjectionTags() {}

  public static String tagFor(String sessionId) {
    return DjSession.tagFor(sessionId);
  }

  /** The tag of projection instance {@code index} (0 … COUNT−1). */
  public static String tag(int index) {
    if (index < 0 || index >= COUNT) throw new IllegalArgumentException("tag index " + index);
    return PREFIX + index;
  }
}
