package floorcast.readside;

import floorcast.account.DjAccount;
import floorcast.account.TokenAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Real JDBC token validation of rest.md §3 (SHA-256 hex → dj_tokens → dj_users, last_used updated), used by the
 * read-side route tests until the accounts engineer's implementation is on main.
 */
public final class SqlTokenAuthenticator implements TokenAuthenticator {
  private final DataSource dataSource;
  private final Executor blocking;

  public SqlTokenAuthenticator(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  public static String sha256Hex(String raw) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public CompletionStage<Optional<DjAccount>> validate(String rawToken) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE dj_tokens t SET last_used = now() FROM dj_users u WHERE t.token = ? AND u.id = t.dj_user_id"
                          + " RETURNING u.id, u.display_name, u.email, u.slug")) {
            ps.setString(1, sha256Hex(rawToken));
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) return Optional.<DjAccount>empty();
              return Optional.of(new DjAccount(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        blocking);
  }
}
