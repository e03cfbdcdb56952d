package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.live.LiveMetrics;
import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node fan-out hands a small session's messages out on the calling (topic) thread and a session past
 * {@code inlineFollowers} on the lanes, for good; either way every listener receives the session's messages once and
 * in order, also across the switch.
 */
class ClusterNodeFanoutTest {
  private static final String SESSION = "pika_fanout_test";
  private final ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(r, "lane-pool"));

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  private ClusterNodeFanout fanout(int inlineFollowers) {
    return new ClusterNodeFanout(m -> "{\"seq\":" + m.seq() + "}", LiveMetrics.NONE, new FanoutLanes(4, pool), inlineFollowers);
  }

  private static SessionFeed.Published count(long seq, SessionFeed.Audience audience) {
    return new SessionFeed.Published(SESSION, new SessionMessage.ListenerCount(SESSION, seq, 1), audience, null, 0);
  }

  @Test
  void aSmallSessionIsHandedOutOnTheCallingThread() {
    ClusterNodeFanout fanout = fanout(2);
    RecordingListener a = new RecordingListener("a");
    RecordingListener b = new RecordingListener("b");
    fanout.follow(SESSION, a);
    fanout.follow(SESSION, b);
    fanout.deliver(count(1, SessionFeed.Audience.SESSION));
    // no waiting: delivered before deliver returned, on this thread
    assertEquals(List.of(1L), a.seqs());
    assertEquals(List.of(1L), b.seqs());
    assertEquals(List.of(Thread.currentThread().getName()), a.threads);
  }

  @Test
  void aSessionPastTheLimitGoesToTheLanesForGoodAndEveryListenerKeepsItsOrder() {
    ClusterNodeFanout fanout = fanout(3);
    List<RecordingListener> listeners = new ArrayList<>();
    for (int i = 0; i < 40; i++) listeners.add(new RecordingListener("c" + i));
    fanout.follow(SESSION, listeners.get(0));
    fanout.follow(SESSION, listeners.get(1));
    int messages = 3000;
    for (int seq = 1; seq <= messages; seq++) {
      if (seq == 1000) for (int i = 2; i < 40; i++) fanout.follow(SESSION, listeners.get(i));
      if (seq == 2000) for (int i = 4; i < 40; i++) fanout.unfollow(SESSION, listeners.get(i)); // back to 4, still laned
      fanout.deliver(count(seq, SessionFeed.Audience.SESSION));
    }
    Await.until("all delivered", Duration.ofSeconds(20), () -> listeners.get(0).seqs().size() == messages);
    Await.until("all delivered", Duration.ofSeconds(20), () -> listeners.get(3).seqs().size() == messages - 999);
    for (int i = 0; i < 40; i++) {
      List<Long> seqs = listeners.get(i).seqs();
      for (int k = 1; k < seqs.size(); k++) {
        assertEquals(seqs.get(k - 1) + 1, seqs.get(k), "listener c" + i + " out of order or missing at " + k);
      }
    }
    assertEquals(1L, listeners.get(0).seqs().get(0));
    assertEquals(1000L, listeners.get(2).seqs().get(0));
    assertEquals(messages - 999, listeners.get(2).seqs().size());
    List<String> threads = listeners.get(0).threads;
    assertEquals(Thread.currentThread().getName(), threads.get(0));
    assertEquals("lane-pool", threads.get(threads.size() - 1)); // 4 followers left, but the session stays laned
  }

  private static SessionFeed.Batch trackChange(long seq) {
    return new SessionFeed.Batch(SESSION, List.of(
        new SessionFeed.Published(SESSION, new SessionMessage.TempoReset(SESSION, seq), SessionFeed.Audience.SESSION, null, 0),
        count(seq + 1, SessionFeed.Audience.SESSION)));
  }

  @Test
  void messagesPublishedTogetherReachEachListenerTogetherInOrderInlineAndLaned() {
    ClusterNodeFanout fanout = fanout(2);
    RecordingListener a = new RecordingListener("a");
    RecordingListener b = new RecordingListener("b");
    fanout.follow(SESSION, a);
    fanout.follow(SESSION, b);
    fanout.deliver(trackChange(1)); // inline: handed over before deliver returns
    assertEquals(List.of(1L, 2L), a.seqs());
    assertEquals(List.of(2), a.batches);
    assertTrue(a.messages.get(0).json() == b.messages.get(0).json(), "rendered once for the node");

    List<RecordingListener> more = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      more.add(new RecordingListener("m" + i));
      fanout.follow(SESSION, more.get(i));
    }
    for (int k = 0; k < 100; k++) {
      fanout.deliver(count(3 + 3L * k, SessionFeed.Audience.SESSION));
      fanout.deliver(trackChange(4 + 3L * k));
    }
    Await.until("all delivered", Duration.ofSeconds(20), () -> more.stream().allMatch(l -> l.seqs().size() == 300));
    for (RecordingListener l : more) {
      List<Long> seqs = l.seqs();
      for (int k = 0; k < seqs.size(); k++) assertEquals(3L + k, seqs.get(k), l.id + " out of order at " + k);
      assertEquals(100, l.batches.size(), l.id + ": one hand-over per batch");
      assertTrue(l.batches.stream().allMatch(n -> n == 2));
    }
    assertEquals("lane-pool", more.get(0).threads.get(0));
  }

  @Test
  void aBatchWithTheDjsTempoFeedbackIsHandedOutTogetherWithItsTarget() {
    ClusterNodeFanout fanout = fanout(8);
    RecordingListener dj = new RecordingListener("dj-conn");
    fanout.follow(SESSION, dj);
    fanout.deliver(new SessionFeed.Batch(SESSION, List.of(
        new SessionFeed.Published(SESSION, new SessionMessage.TempoFeedback(SESSION, 7, 1, 0, 0, 1), SessionFeed.Audience.DJ_ONLY, "dj-conn", 0),
        count(8, SessionFeed.Audience.SESSION))));
    assertEquals(List.of(7L, 8L), dj.seqs());
    assertEquals(List.of(2), dj.batches);
    assertEquals(SessionFeed.Audience.DJ_ONLY, dj.messages.get(0).audience());
    assertEquals("dj-conn", dj.messages.get(0).targetConnectionId(), "the connection skips it unless it is the target");
  }

  @Test
  void aBatchWithALobbyMessageIsHandedOutOneByOne() {
    ClusterNodeFanout fanout = fanout(8);
    RecordingListener follower = new RecordingListener("f");
    RecordingListener watcher = new RecordingListener("w");
    fanout.follow(SESSION, follower);
    fanout.watchLobby(watcher);
    fanout.deliver(new SessionFeed.Batch(SESSION, List.of(
        count(5, SessionFeed.Audience.SESSION), count(6, SessionFeed.Audience.LOBBY))));
    Await.until("lobby message on the lanes", Duration.ofSeconds(10), () -> watcher.seqs().size() == 1);
    assertEquals(List.of(5L, 6L), follower.seqs());
    assertTrue(follower.batches.isEmpty(), "one by one");
    assertEquals(List.of(6L), watcher.seqs(), "the watcher gets the lobby message only");
  }

  @Test
  void aLobbyMessageReachesAWatcherThatAlsoFollowsOnce() {
    ClusterNodeFanout fanout = fanout(8);
    RecordingListener follower = new RecordingListener("f");
    RecordingListener followerAndWatcher = new RecordingListener("fw");
    RecordingListener watcher = new RecordingListener("w");
    fanout.follow(SESSION, follower);
    fanout.follow(SESSION, followerAndWatcher);
    fanout.watchLobby(followerAndWatcher);
    fanout.watchLobby(watcher);
    fanout.deliver(count(7, SessionFeed.Audience.LOBBY));
    Await.until("the watcher has it", Duration.ofSeconds(10), () -> watcher.seqs().size() == 1);
    fanout.deliver(count(8, SessionFeed.Audience.SESSION));
    assertEquals(List.of(7L, 8L), follower.seqs());
    assertEquals(List.of(7L, 8L), followerAndWatcher.seqs());
    assertEquals(List.of(7L), watcher.seqs());
  }
}
