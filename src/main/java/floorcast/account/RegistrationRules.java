package floorcast.account;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The input checks of {@code POST /api/auth/register} (rest.md §4.10 checks 1–4, in that order) and the
 * normalised values that are stored when they pass.
 */
public final class RegistrationRules {
  public static final int PASSWORD_MIN = 8;
  public static final int PASSWORD_MAX = 128;
  public static final int EMAIL_MAX = 254;
  public static final int SLUG_MIN = 2;

  // ^[^\s@]+@[^\s@]+\.[^\s@]+$ with JavaScript's \s; matches() anchors both ends.
  private static final String NOT_WS_OR_AT = "[^" + JsText.WHITESPACE_CLASS + "@]+";
  private static final Pattern EMAIL = Pattern.compile(NOT_WS_OR_AT + "@" + NOT_WS_OR_AT + "\\." + NOT_WS_OR_AT);

  /** What a valid registration stores: e-mail trimmed and lower-cased, display name trimmed, its slug. */
  public record Registration(String email, String password, String displayName, String slug) {}

  private RegistrationRules() {}

  /**
   * @param email, password, displayName the JSON fields, or null when missing or not strings
   * @return the first failing check, or the normalised registration
   */
  public static Checked check(String email, String password, String displayName) {
    if (email == null || password == null || displayName == null) return refused(AccountError.REGISTRATION_FIELDS_REQUIRED);
    String trimmedEmail = JsText.trim(email);
    String trimmedName = JsText.trim(stripNul(displayName));
    if (trimmedEmail.isEmpty() || JsText.trim(password).isEmpty() || trimmedName.isEmpty()) {
      return refused(AccountError.REGISTRATION_FIELDS_REQUIRED);
    }
    // Lengths in UTF-16 code units, as the original measured them.
    if (password.length() < PASSWORD_MIN) return refused(AccountError.PASSWORD_TOO_SHORT);
    if (password.length() > PASSWORD_MAX) return refused(AccountError.PASSWORD_TOO_LONG);
    if (!isEmail(trimmedEmail)) return refused(AccountError.INVALID_EMAIL);
    String slug = Slugs.slugify(trimmedName);
    if (slug.length() < SLUG_MIN) return refused(AccountError.DISPLAY_NAME_TOO_SHORT);
    return new Checked(
        Optional.empty(),
        Optional.of(new Registration(normaliseEmail(trimmedEmail), password, trimmedName, slug)));
  }

  /**
   * Check 3. A U+0000 can never be stored (PostgreSQL text), so an address containing one is not an address.
   */
  public static boolean isEmail(String trimmedEmail) {
    return trimmedEmail.length() <= EMAIL_MAX
        && trimmedEmail.indexOf('\u0000') < 0
        && EMAIL.matcher(trimmedEmail).matches();
  }

  /** How e-mails are stored and compared (rest.md §4.10: lower-cased, locale-independent). */
  public static String normaliseEmail(String email) {
    return JsText.trim(email).toLowerCase(Locale.ROOT);
  }

  /** PostgreSQL text cannot hold U+0000; a display name loses it rather than failing the insert. */
  private static String stripNul(String s) {
    return s.indexOf('\u0000') < 0 ? s : s.replace("\u0000", "");
  }

  private static Checked refused(AccountError e) {
    return new Checked(Optional.of(e), Optional.empty());
  }

  /** Either an error or the registration to store. */
  public record Checked(Optional<AccountError> error, Optional<Registration> registration) {}
}
