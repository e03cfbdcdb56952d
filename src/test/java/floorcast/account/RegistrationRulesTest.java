package floorcast.account;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** rest.md §4.10 checks 1–4 and the values stored. */
class RegistrationRulesTest {
  static AccountError error(String email, String password, String name) {
    return RegistrationRules.check(email, password, name).error().orElse(null);
  }

  @Test
  void firstFailingCheckWins() {
    assertEquals(AccountError.REGISTRATION_FIELDS_REQUIRED, error(null, "x", "!"));
    assertEquals(AccountError.REGISTRATION_FIELDS_REQUIRED, error("\uFEFF", "x", "!"));
    assertEquals(AccountError.PASSWORD_TOO_SHORT, error("bad", "1234567", "!"));
    assertEquals(AccountError.PASSWORD_TOO_LONG, error("bad", "x".repeat(129), "!"));
    assertEquals(AccountError.INVALID_EMAIL, error("bad", "12345678", "!"));
    assertEquals(AccountError.DISPLAY_NAME_TOO_SHORT, error("a@b.co", "12345678", "!"));
    assertNull(error("a@b.co", "12345678", "ab"));
  }

  @Test
  void passwordLengthCountsUtf16Units() {
    // 4 emoji = 8 UTF-16 units, as JavaScript's length
    assertNull(error("a@b.co", "😀😀😀😀", "DJ X"));
    assertEquals(AccountError.PASSWORD_TOO_SHORT, error("a@b.co", "😀😀😀x", "DJ X"));
  }

  @Test
  void emailPatternUsesJavaScriptSemantics() {
    assertTrue(RegistrationRules.isEmail("a@b.co"));
    assertTrue(RegistrationRules.isEmail("a.b+c@sub.example.museum"));
    assertFalse(RegistrationRules.isEmail("a@b"));
    assertFalse(RegistrationRules.isEmail("a@b.co\n"), "no match before a final line break");
    assertFalse(RegistrationRules.isEmail("a\u2028b@c.de"));
    assertFalse(RegistrationRules.isEmail("a@b@c.de"));
    assertFalse(RegistrationRules.isEmail("a\u0000@b.de"));
    assertTrue(RegistrationRules.isEmail("a".repeat(249) + "@b.de"));
    assertFalse(RegistrationRules.isEmail("a".repeat(250) + "@b.de"));
  }

  @Test
  void storedValuesAreNormalised() {
    RegistrationRules.Registration r =
        RegistrationRules.check(" \u00A0DJ@Example.COM\t", "  spaces kept  ", "\u3000 DJ  Smooth \n").registration().orElseThrow();
    assertEquals("dj@example.com", r.email());
    assertEquals("  spaces kept  ", r.password());
    assertEquals("DJ  Smooth", r.displayName());
    assertEquals("dj-smooth", r.slug());
  }
}
