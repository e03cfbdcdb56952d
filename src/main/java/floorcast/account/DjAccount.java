package floorcast.account;

/** A DJ account as token validation returns it (rest.md §3 "Validation"). */
public record DjAccount(long id, String displayName, String email, String slug) {}
