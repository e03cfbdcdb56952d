package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.ConfigFactory;
import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;
import floorcast.session.TrackInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a session publishes together reaches the topics as one {@link SessionFeed.Batch}, or one by one with batches
 * off (a rolling update from a build without them); a single message is never wrapped.
 */
class ClusterSessionPublisherTest {
  private static final String SESSION = "pika_publisher_test";
  /** Start-up probes: another session on the same (only) topic. */
  private static final String PROBE = "pika_publisher_probe";
  static ActorTestKit kit;
  static SessionTopics topics;
  static final List<SessionFeed> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("ClusterSessionPublisherTest", ConfigFactory.parseString("pekko.actor.provider = local"));
    topics = new SessionTopics(kit.system(), 1, received::add, summary -> {});
    // the topic learns of its subscriber through the receptionist: publish until one message comes through
    ClusterSessionPublisher publisher = new ClusterSessionPublisher(topics, true);
    AtomicLong seq = new AtomicLong();
    Await.until("topic subscribed", () -> {
      publisher.publish(new SessionFeed.Published(
          PROBE, new SessionMessage.ListenerCount(PROBE, seq.incrementAndGet(), 1), SessionFeed.Audience.SESSION, null, 0));
      return !received.isEmpty();
    });
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    received.clear();
  }

  /** What reached the topic for the test's session (start-up probes of another session may still land). */
  private static List<SessionFeed> feeds() {
    return received.stream().filter(f -> f.sessionId().equals(SESSION)).toList();
  }

  private static SessionFeed.Published published(SessionMessage message) {
    return new SessionFeed.Published(SESSION, message, SessionFeed.Audience.SESSION, null, 0);
  }

  private static List<SessionFeed.Published> trackChange() {
    return List.of(
        published(new SessionMessage.TempoReset(SESSION, 100)),
        published(new SessionMessage.NowPlaying(SESSION, 101, "DJ", TrackInfo.of("Sway", "Rosie Carney"))));
  }

  @Test
  void messagesPublishedTogetherGoOutAsOneBatch() {
    new ClusterSessionPublisher(topics, true).publishAll(trackChange());
    Await.until("the batch", () -> !feeds().isEmpty());
    SessionFeed.Batch batch = assertInstanceOf(SessionFeed.Batch.class, feeds().get(0));
    assertEquals(SESSION, batch.sessionId());
    assertEquals(trackChange(), batch.items());

    new ClusterSessionPublisher(topics, true).publishAll(List.of(trackChange().get(1)));
    Await.until("the single message", () -> feeds().size() == 2);
    assertInstanceOf(SessionFeed.Published.class, feeds().get(1), "a single message is not wrapped");
  }

  @Test
  void withBatchesOffTheyGoOutOneByOneInOrder() {
    new ClusterSessionPublisher(topics, false).publishAll(trackChange());
    Await.until("both messages", () -> feeds().size() == 2);
    assertEquals(trackChange(), feeds());
  }
}
