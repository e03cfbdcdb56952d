package floorcast.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code dj_users} / {@code dj_tokens} tables of data.md §2, written directly (data.md §3: register, login,
 * regenerate, me). Blocking JDBC: callers run these on the node's JDBC executor.
 */
public final class JdbcAccountStore {
  /** PostgreSQL's names for the two unique constraints of V2 (rest.md §4.10: a race maps to the matching 409). */
  static final String EMAIL_UNIQUE = "dj_users_email_key";

  static final String SLUG_UNIQUE = "dj_users_slug_key";
  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;

  public JdbcAccountStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Check 5 then check 6 of rest.md §4.10. */
  public Optional<AccountError> conflict(String email, String slug) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (exists(c, "SELECT 1 FROM dj_users WHERE email = ?", email)) return Optional.of(AccountError.EMAIL_TAKEN);
      if (exists(c, "SELECT 1 FROM dj_users WHERE slug = ?", slug)) return Optional.of(AccountError.DISPLAY_NAME_TAKEN);
      return Optional.empty();
    }
  }

  /** Inserts the user and its first token (name {@code Default}) in one transaction. */
  public AuthOutcome insert(RegistrationRules.Registration r, String passwordHash, String rawToken) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long id;
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO dj_users (email, password_hash, display_name, slug) VALUES (?, ?, ?, ?) RETURNING id")) {
          ps.setString(1, r.email());
          ps.setString(2, passwordHash);
          ps.setString(3, r.displayName());
          ps.setString(4, r.slug());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
          }
        }
        insertToken(c, id, rawToken, "Default");
        c.commit();
        return new AuthOutcome.Granted(new DjAccount(id, r.displayName(), r.email(), r.slug()), rawToken);
      } catch (SQLException e) {
        c.rollback();
        Optional<AccountError> lost = raceLoser(e);
        if (lost.isPresent()) return new AuthOutcome.Refused(lost.get());
        throw e;
      }
    }
  }

  public Optional<StoredAccount> findByEmail(String email) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT id, email, password_hash, display_name, slug FROM dj_users WHERE email = ?")) {
      ps.setString(1, email);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        return Optional.of(
            new StoredAccount(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
      }
    }
  }

  /**
   * A successful login: stores the re-hash (if any, and only if the hash was not changed meanwhile) and adds a
   * token without revoking others (rest.md §3).
   */
  public void completeLogin(long userId, String oldHash, String newHashOrNull, String rawToken) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (newHashOrNull != null) {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE dj_users SET password_hash = ? WHERE id = ? AND password_hash = ?")) {
            ps.setString(1, newHashOrNull);
            ps.setLong(2, userId);
            ps.setString(3, oldHash);
            ps.executeUpdate();
          }
        }
        insertToken(c, userId, rawToken, "Default");
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Deletes the presented token's row and issues a new one for the same account (same token name) in one
   * transaction; empty when the presented token is unknown (or was rotated concurrently).
   */
  public Optional<String> replaceToken(String presentedRawToken, String newRawToken) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long userId;
        String name;
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM dj_tokens WHERE token = ? RETURNING dj_user_id, name")) {
          ps.setString(1, DjTokens.storedHash(presentedRawToken));
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              c.rollback();
              return Optional.empty();
            }
            userId = rs.getLong(1);
            name = rs.getString(2);
          }
        }
        insertToken(c, userId, newRawToken, name == null ? "Default" : name);
        c.commit();
        return Optional.of(newRawToken);
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Validation of rest.md §3: hash, find, join the user, set {@code last_used}, in one statement. */
  public Optional<DjAccount> touchToken(String rawToken) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE dj_tokens t SET last_used = now() FROM dj_users u"
                    + " WHERE t.token = ? AND u.id = t.dj_user_id"
                    + " RETURNING u.id, u.display_name, u.email, u.slug")) {
      ps.setString(1, DjTokens.storedHash(rawToken));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        return Optional.of(new DjAccount(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
  }

  private static void insertToken(Connection c, long userId, String rawToken, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO dj_tokens (dj_user_id, token, name) VALUES (?, ?, ?)")) {
      ps.setLong(1, userId);
      ps.setString(2, DjTokens.storedHash(rawToken));
      ps.setString(3, name);
      ps.executeUpdate();
    }
  }

  private static boolean exists(Connection c, String sql, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static Optional<AccountError> raceLoser(SQLException e) {
    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) return Optional.empty();
    String constraint = null;
    if (e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
      constraint = p.getServerErrorMessage().getConstraint();
    }
    if (EMAIL_UNIQUE.equals(constraint)) return Optional.of(AccountError.EMAIL_TAKEN);
    if (SLUG_UNIQUE.equals(constraint)) return Optional.of(AccountError.DISPLAY_NAME_TAKEN);
    return Optional.empty();
  }
}
