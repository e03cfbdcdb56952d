package floorcast.account;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * {@link TokenAuthenticator} on {@code dj_tokens}: one statement per validation, no cache, so a token deleted by
 * regenerate on any node is refused everywhere from the next request on (rest.md §4.10).
 */
public final class JdbcTokenAuthenticator implements TokenAuthenticator {
  private final JdbcAccountStore store;
  private final Executor jdbc;

  public JdbcTokenAuthenticator(DataSource dataSource, Executor jdbc) {
    this(new JdbcAccountStore(dataSource), jdbc);
  }

  JdbcTokenAuthenticator(JdbcAccountStore store, Executor jdbc) {
    this.store = store;
    this.jdbc = jdbc;
  }

  /** Empty or blank tokens are refused without a query; a failing database fails the stage. */
  @Override
  public CompletionStage<Optional<DjAccount>> validate(String rawToken) {
    if (rawToken == null || rawToken.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return store.touchToken(rawToken);
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        jdbc);
  }
}
