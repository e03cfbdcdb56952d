package floorcast.live.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.testing.TestDatabase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** protocol.md §11.1 poll ids from poll_id_seq, and the read-side session id lookup of §3.1 step 3. */
class PollIdsTest {
  private static DataSource db;
  private static ExecutorService blocking;

  @BeforeAll
  static void start() {
    db = TestDatabase.dataSource(TestDatabase.fresh());
    blocking = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
  }

  @Test
  void idsArePositiveIncreasingAndJavaScriptSafe() throws Exception {
    PollIds ids = new PollIds(db, blocking);
    long previous = 0;
    for (int i = 0; i < 5; i++) {
      long id = ids.next().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertTrue(id > previous, id + " after " + previous);
      assertTrue(id <= 9007199254740991L);
      previous = id;
    }
  }

  @Test
  void concurrentAllocationsNeverCollide() throws Exception {
    // two allocators stand for two nodes sharing the database
    PollIds nodeA = new PollIds(db, blocking);
    PollIds nodeB = new PollIds(db, blocking);
    List<CompletableFuture<Long>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(nodeA.next().toCompletableFuture());
      all.add(nodeB.next().toCompletableFuture());
    }
    Set<Long> distinct = new HashSet<>();
    for (CompletableFuture<Long> f : all) distinct.add(f.get(10, TimeUnit.SECONDS));
    assertEquals(100, distinct.size());
  }

  @Test
  void sessionIdsOfTheReadSideAreKnown() throws Exception {
    try (var c = db.getConnection();
        var st = c.prepareStatement("INSERT INTO sessions (id, dj_name) VALUES (?, 'DJ Old')")) {
      st.setString(1, "pika_imported_0001");
      st.executeUpdate();
    }
    ReadSideSessionIds readSide = new ReadSideSessionIds(db, blocking);
    assertTrue(readSide.exists("pika_imported_0001").toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(false, readSide.exists("pika_never_seen_01").toCompletableFuture().get(10, TimeUnit.SECONDS));
  }
}
