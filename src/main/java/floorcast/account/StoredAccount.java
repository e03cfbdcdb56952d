package floorcast.account;

/** A {@code dj_users} row as login needs it. */
public record StoredAccount(long id, String email, String passwordHash, String displayName, String slug) {
  public DjAccount account() {
    return new DjAccount(id, displayName, email, slug);
  }

  /** Never print the hash. */
  @Override
  public String toString() {
    return "StoredAccount[id=" + id + ", slug=" + slug + "]";
  }
}
