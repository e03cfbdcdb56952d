package floorcast.account;

/** Result of register, login or regenerate: the account with its new raw token, or the refusal. */
public sealed interface AuthOutcome {
  /** {@code rawToken} is shown to the caller once and never stored (rest.md §3). */
  record Granted(DjAccount account, String rawToken) implements AuthOutcome {}

  record Refused(AccountError error) implements AuthOutcome {}
}
