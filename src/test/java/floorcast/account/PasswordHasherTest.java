package floorcast.account;

import static org.junit.jupiter.api.Assertions.*;

import com.password4j.Argon2Function;
import com.password4j.BcryptFunction;
import com.password4j.Password;
import com.password4j.types.Argon2;
import com.password4j.types.Bcrypt;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** rest.md §3 password rules. */
class PasswordHasherTest {
  static final PasswordHasher hasher = new PasswordHasher(2, 16);

  @AfterAll
  static void stop() {
    hasher.close();
  }

  static <T> T await(java.util.concurrent.CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void newHashesAreArgon2idPhcWithTheSpecParameters() throws Exception {
    String phc = await(hasher.hash("correct horse"));
    String[] parts = phc.split("\\$");
    // "", "argon2id", "v=19", "m=19456,t=2,p=1", salt, hash
    assertEquals(6, parts.length, phc);
    assertEquals("argon2id", parts[1]);
    assertEquals("v=19", parts[2]);
    assertEquals("m=19456,t=2,p=1", parts[3]);
    assertEquals(16, Base64.getDecoder().decode(parts[4]).length, "16-byte salt");
    assertEquals(32, Base64.getDecoder().decode(parts[5]).length);
    assertNotEquals(phc, await(hasher.hash("correct horse")), "random salt");

    assertEquals(new PasswordHasher.Verification(true, false), await(hasher.verify("correct horse", phc)));
    assertEquals(new PasswordHasher.Verification(false, false), await(hasher.verify("correct horsE", phc)));
  }

  @Test
  void bcryptVariantsVerifyAndAskForARehash() throws Exception {
    String b = Password.hash("pika pika").with(BcryptFunction.getInstance(Bcrypt.B, 10)).getResult();
    for (String prefix : new String[] {"$2a$", "$2b$", "$2y$"}) {
      String h = prefix + b.substring(4);
      assertEquals(new PasswordHasher.Verification(true, true), await(hasher.verify("pika pika", h)), prefix);
      assertFalse(await(hasher.verify("pika pikA", h)).matches(), prefix);
    }
  }

  @Test
  void weakerArgon2HashesAskForARehash() throws Exception {
    String weak = Password.hash("pw123456").addRandomSalt(16).with(Argon2Function.getInstance(8192, 1, 1, 32, Argon2.ID)).getResult();
    assertEquals(new PasswordHasher.Verification(true, true), await(hasher.verify("pw123456", weak)));
    String argon2i = Password.hash("pw123456").addRandomSalt(16).with(Argon2Function.getInstance(19456, 2, 1, 32, Argon2.I)).getResult();
    assertEquals(new PasswordHasher.Verification(true, true), await(hasher.verify("pw123456", argon2i)));
    String stronger = Password.hash("pw123456").addRandomSalt(16).with(Argon2Function.getInstance(32768, 3, 1, 32, Argon2.ID)).getResult();
    assertEquals(new PasswordHasher.Verification(true, false), await(hasher.verify("pw123456", stronger)));
  }

  @Test
  void theDummyNeverMatches() throws Exception {
    assertFalse(await(hasher.verifyAgainstDummy("anything")).matches());
    assertFalse(await(hasher.verifyAgainstDummy("")).matches());
  }

  @Test
  void unknownStoredFormatsFailInsteadOfMatching() {
    Exception e = assertThrows(Exception.class, () -> await(hasher.verify("x", "plaintext")));
    assertTrue(e.getCause() instanceof IllegalStateException || e.getCause() instanceof CompletionException, e.toString());
  }

  @Test
  void aFullQueueFailsFastInsteadOfQueueingForever() throws Exception {
    try (PasswordHasher tiny = new PasswordHasher(1, 1)) {
      java.util.List<java.util.concurrent.CompletableFuture<String>> all = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) all.add(tiny.hash("password " + i).toCompletableFuture());
      long rejected = 0;
      for (var f : all) {
        try {
          f.get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException ex) {
          if (ex.getCause() instanceof java.util.concurrent.RejectedExecutionException) rejected++;
        }
      }
      // 1 running (the dummy hash) + 1 queued: at least 4 of the 6 are refused at once
      assertTrue(rejected >= 4, "rejected " + rejected);
    }
  }
}
