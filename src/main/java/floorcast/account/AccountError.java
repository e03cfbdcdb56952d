package floorcast.account;

/** Why an account operation was refused, with the exact texts of rest.md §4.10 (in the order they are checked). */
public enum AccountError {
  REGISTRATION_FIELDS_REQUIRED("Email, password, and display name are required"),
  PASSWORD_TOO_SHORT("Password must be at least 8 characters"),
  PASSWORD_TOO_LONG("Password must be at most 128 characters"),
  INVALID_EMAIL("Invalid email format"),
  DISPLAY_NAME_TOO_SHORT("Display name must be at least 2 characters"),
  EMAIL_TAKEN("Email already registered"),
  DISPLAY_NAME_TAKEN("Display name already taken"),
  LOGIN_FIELDS_REQUIRED("Email and password are required"),
  INVALID_CREDENTIALS("Invalid email or password"),
  TOKEN_REQUIRED("Authorization token required"),
  INVALID_TOKEN("Invalid token");

  private final String text;

  AccountError(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }
}
