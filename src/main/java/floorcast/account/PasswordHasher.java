package floorcast.account;

import com.password4j.Argon2Function;
import com.password4j.BcryptFunction;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Password hashing of rest.md §3: new hashes are Argon2id PHC strings (m = 19,456 KiB, t = 2, p = 1, 16-byte
 * salt, 32-byte output), parameters set here in code (Password4j's properties file is not used). Imported bcrypt
 * hashes ({@code $2a$}, {@code $2b$}, {@code $2y$}) verify and are reported as needing a re-hash.
 *
 * <p>Every hash costs ~19 MiB and ~0.3 s of CPU, so all work runs on a dedicated, bounded pool: at most
 * {@code threads} hashes at once, {@code queue} waiting; beyond that the stage fails at once (the route answers its
 * 500) instead of letting a login flood exhaust memory or the shared JDBC threads.
 */
public final class PasswordHasher implements AutoCloseable {
  public static final int MEMORY_KIB = 19_456;
  public static final int ITERATIONS = 2;
  public static final int PARALLELISM = 1;
  public static final int SALT_BYTES = 16;
  public static final int OUTPUT_BYTES = 32;

  private static final Argon2Function ARGON2 =
      Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, OUTPUT_BYTES, Argon2.ID);

  /** Outcome of checking a password against a stored hash. */
  public record Verification(boolean matches, boolean needsRehash) {}

  private final ThreadPoolExecutor executor;
  /** Hash of a random password: unknown e-mails are verified against it so they take as long as real ones. */
  private final CompletableFuture<String> dummyHash;

  public PasswordHasher(int threads, int queue) {
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, "floorcast-password-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    this.dummyHash = CompletableFuture.supplyAsync(() -> hashNow(DjTokens.newRawToken()), executor);
  }

  public CompletionStage<String> hash(String password) {
    return submit(() -> hashNow(password));
  }

  /** Verifies against the stored PHC or bcrypt string. An unrecognised stored format fails the stage. */
  public CompletionStage<Verification> verify(String password, String storedHash) {
    return submit(() -> verifyNow(password, storedHash));
  }

  /** Same work as {@link #verify} for an account that does not exist; the result is always "no match". */
  public CompletionStage<Verification> verifyAgainstDummy(String password) {
    return dummyHash.thenCompose(h -> submit(() -> verifyNow(password, h))).thenApply(v -> new Verification(false, false));
  }

  static String hashNow(String password) {
    return Password.hash(password).addRandomSalt(SALT_BYTES).with(ARGON2).getResult();
  }

  static Verification verifyNow(String password, String stored) {
    if (stored.startsWith("$argon2")) {
      Argon2Function f = Argon2Function.getInstanceFromHash(stored);
      boolean ok = Password.check(password, stored).with(f);
      return new Verification(ok, ok && weakerThanCurrent(f));
    }
    if (isBcrypt(stored)) {
      // bcrypt only reads the first 72 bytes, exactly as the bcryptjs that produced these hashes did.
      boolean ok = Password.check(password, stored).with(BcryptFunction.getInstanceFromHash(stored));
      return new Verification(ok, ok);
    }
    throw new IllegalStateException("unrecognised password hash format");
  }

  static boolean isBcrypt(String stored) {
    return stored.startsWith("$2a$") || stored.startsWith("$2b$") || stored.startsWith("$2y$");
  }

  /** Re-hash on login when the stored parameters are below today's (reliability guide §8.2). */
  private static boolean weakerThanCurrent(Argon2Function f) {
    return f.getVariant() != Argon2.ID
        || f.getMemory() < MEMORY_KIB
        || f.getIterations() < ITERATIONS
        || f.getVersion() < Argon2Function.ARGON2_VERSION_13;
  }

  private <T> CompletionStage<T> submit(java.util.function.Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, executor);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
