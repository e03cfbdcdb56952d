package floorcast.readside;

/**
 * Guards path values before they reach SQL: PostgreSQL rejects NUL in text, and no stored id is longer than this
 * (live ids are 8–64 chars; imported Pika! ids are kept as they were). Such a value simply matches no row.
 */
public final class SessionIds {
  public static final int MAX_LENGTH = 256;

  private SessionIds() {}

  public static boolean storable(String id) {
    return id != null && !id.isEmpty() && id.length() <= MAX_LENGTH && StoredText.storable(id);
  }
}
