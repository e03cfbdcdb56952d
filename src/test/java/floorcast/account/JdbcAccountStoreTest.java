package floorcast.account;

import static org.junit.jupiter.api.Assertions.*;

import floorcast.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The account tables directly: the unique-constraint race of rest.md §4.10 and concurrent sign-ups. */
class JdbcAccountStoreTest {
  static DataSource ds;
  static JdbcAccountStore store;
  static ExecutorService pool;
  static PasswordHasher hasher;

  @BeforeAll
  static void start() {
    ds = TestDatabase.dataSource(TestDatabase.fresh());
    store = new JdbcAccountStore(ds);
    pool = Executors.newFixedThreadPool(4);
    hasher = new PasswordHasher(2, 64);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    hasher.close();
  }

  static RegistrationRules.Registration reg(String email, String name) {
    return RegistrationRules.check(email, "12345678", name).registration().orElseThrow();
  }

  @Test
  void aLostInsertRaceMapsToTheMatching409() throws Exception {
    assertTrue(store.insert(reg("race@example.com", "Race DJ"), "$argon2id$x", DjTokens.newRawToken()) instanceof AuthOutcome.Granted);
    // as if both requests had passed the existence checks before either inserted
    assertEquals(new AuthOutcome.Refused(AccountError.EMAIL_TAKEN),
        store.insert(reg("race@example.com", "Other Name"), "$argon2id$x", DjTokens.newRawToken()));
    assertEquals(new AuthOutcome.Refused(AccountError.DISPLAY_NAME_TAKEN),
        store.insert(reg("other@example.com", "race_dj"), "$argon2id$x", DjTokens.newRawToken()));
    assertEquals(java.util.Optional.empty(), store.findByEmail("other@example.com"), "nothing half-written");
  }

  @Test
  void concurrentSignUpsForOneAddressCreateOneAccount() throws Exception {
    Accounts accounts = new Accounts(ds, pool, hasher);
    List<CompletableFuture<AuthOutcome>> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(accounts.register("same@example.com", "12345678", "Concurrent " + i).toCompletableFuture());
    }
    int granted = 0;
    for (CompletableFuture<AuthOutcome> f : all) {
      AuthOutcome o = f.get(120, TimeUnit.SECONDS);
      if (o instanceof AuthOutcome.Granted) granted++;
      else assertEquals(new AuthOutcome.Refused(AccountError.EMAIL_TAKEN), o);
    }
    assertEquals(1, granted);
  }
}
