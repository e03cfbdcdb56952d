package floorcast.account;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-up, login, token check and token rotation of rest.md §3 / §4.10, free of HTTP. JDBC work runs on the
 * node's JDBC executor, hashing on the {@link PasswordHasher}'s own pool. A failed stage means "internal
 * failure" (the route answers its 500 text); refusals are {@link AuthOutcome.Refused}.
 *
 * <p>Logging: account ids and outcomes only — never passwords, hashes, tokens or token hashes.
 */
public final class Accounts {
  private static final Logger log = LoggerFactory.getLogger(Accounts.class);

  private final JdbcAccountStore store;
  private final PasswordHasher hasher;
  private final Executor jdbc;
  private final TokenAuthenticator tokens;

  public Accounts(DataSource dataSource, Executor jdbc, PasswordHasher hasher) {
    this.store = new JdbcAccountStore(dataSource);
    this.hasher = hasher;
    this.jdbc = jdbc;
    this.tokens = new JdbcTokenAuthenticator(store, jdbc);
  }

  public TokenAuthenticator tokens() {
    return tokens;
  }

  /** Fields are null when missing or not strings (check 1). */
  public CompletionStage<AuthOutcome> register(String email, String password, String displayName) {
    RegistrationRules.Checked checked = RegistrationRules.check(email, password, displayName);
    if (checked.error().isPresent()) return done(new AuthOutcome.Refused(checked.error().get()));
    RegistrationRules.Registration r = checked.registration().orElseThrow();
    return onJdbc(() -> store.conflict(r.email(), r.slug()))
        .thenCompose(
            conflict -> {
              if (conflict.isPresent()) return done(new AuthOutcome.Refused(conflict.get()));
              return hasher
                  .hash(r.password())
                  .thenCompose(hash -> onJdbc(() -> store.insert(r, hash, DjTokens.newRawToken())))
                  .thenApply(
                      outcome -> {
                        if (outcome instanceof AuthOutcome.Granted g) log.info("DJ account {} registered", g.account().id());
                        return outcome;
                      });
            });
  }

  /** Fields are null when missing or not strings. */
  public CompletionStage<AuthOutcome> login(String email, String password) {
    if (email == null || password == null || JsText.trim(email).isEmpty() || password.isEmpty()) {
      return done(new AuthOutcome.Refused(AccountError.LOGIN_FIELDS_REQUIRED));
    }
    String normalised = RegistrationRules.normaliseEmail(email);
    // A U+0000 cannot be in the table (and PostgreSQL refuses it as a parameter): no such account.
    CompletionStage<Optional<StoredAccount>> found =
        normalised.indexOf('\u0000') >= 0 ? done(Optional.empty()) : onJdbc(() -> store.findByEmail(normalised));
    return found.thenCompose(
        maybe -> {
          if (maybe.isEmpty()) {
            return hasher.verifyAgainstDummy(password).thenApply(v -> refusedLogin(null));
          }
          StoredAccount a = maybe.get();
          return hasher
              .verify(password, a.passwordHash())
              .thenCompose(
                  v -> {
                    if (!v.matches()) return done(refusedLogin(a));
                    CompletionStage<String> rehash = v.needsRehash() ? hasher.hash(password) : done(null);
                    return rehash.thenCompose(
                        newHash -> {
                          String raw = DjTokens.newRawToken();
                          return onJdbc(
                              () -> {
                                store.completeLogin(a.id(), a.passwordHash(), newHash, raw);
                                if (newHash != null) log.info("DJ account {}: password re-hashed with Argon2id", a.id());
                                return (AuthOutcome) new AuthOutcome.Granted(a.account(), raw);
                              });
                        });
                  });
        });
  }

  private static AuthOutcome refusedLogin(StoredAccount a) {
    if (a == null) log.info("login refused: unknown e-mail");
    else log.info("login refused: wrong password for DJ account {}", a.id());
    return new AuthOutcome.Refused(AccountError.INVALID_CREDENTIALS);
  }

  /** {@code GET /api/auth/me}: the token's account (last_used updated) or INVALID_TOKEN. */
  public CompletionStage<Optional<DjAccount>> me(String rawToken) {
    return tokens.validate(rawToken);
  }

  /** Deletes only the presented token and issues a new one; empty when the presented token is unknown. */
  public CompletionStage<Optional<String>> regenerate(String rawToken) {
    if (rawToken == null || rawToken.isEmpty()) return done(Optional.empty());
    return onJdbc(() -> store.replaceToken(rawToken, DjTokens.newRawToken()));
  }

  private interface JdbcWork<T> {
    T run() throws SQLException;
  }

  private <T> CompletionStage<T> onJdbc(JdbcWork<T> work) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return work.run();
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        jdbc);
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
