package floorcast.live.transport;

import floorcast.ops.PekkoCompletion;
import floorcast.session.SessionFeed;
import floorcast.session.SessionSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's cluster pub/sub topics (stack.md §6): session ids hashed onto a fixed set of {@code topic-count}
 * topics (so session churn never churns the receptionist), plus one lobby topic for {@link SessionSummary} updates.
 * Every node spawns ALL topic actors at startup and subscribes one long-lived feed actor per topic, so a new
 * follower never waits for gossip to register a subscription, and publishing never spawns anything.
 */
final class SessionTopics {
  private static final Logger log = LoggerFactory.getLogger(SessionTopics.class);
  static final String SESSION_TOPIC_PREFIX = "floorcast-session-";
  static final String LOBBY_TOPIC = "floorcast-lobby";

  private final List<ActorRef<Topic.Command<SessionFeed>>> sessionTopics;
  private final ActorRef<Topic.Command<SessionSummary>> lobby;

  SessionTopics(
      ActorSystem<?> system, int topicCount, Consumer<SessionFeed> feeds, Consumer<SessionSummary> summaries) {
    if (topicCount < 1) throw new IllegalArgumentException("topic-count must be positive");
    List<ActorRef<Topic.Command<SessionFeed>>> topics = new ArrayList<>(topicCount);
    for (int i = 0; i < topicCount; i++) {
      ActorRef<Topic.Command<SessionFeed>> topic =
          system.systemActorOf(
              Topic.create(SessionFeed.class, SESSION_TOPIC_PREFIX + i), "floorcast-session-topic-" + i, Props.empty());
      // one subscriber per topic: a session's messages stay in order, different topics fan out in parallel
      ActorRef<SessionFeed> feed =
          system.systemActorOf(sink(SessionFeed.class, feeds), "floorcast-session-feed-" + i, Props.empty());
      topic.tell(Topic.subscribe(feed));
      topics.add(topic);
    }
    this.sessionTopics = List.copyOf(topics);
    this.lobby =
        system.systemActorOf(Topic.create(SessionSummary.class, LOBBY_TOPIC), "floorcast-lobby-topic", Props.empty());
    ActorRef<SessionSummary> lobbyFeed =
        system.systemActorOf(sink(SessionSummary.class, summaries), "floorcast-lobby-feed", Props.empty());
    lobby.tell(Topic.subscribe(lobbyFeed));
  }

  /** Stable across JVMs and nodes (String.hashCode is specified). */
  static int topicIndex(String sessionId, int topicCount) {
    return Math.floorMod(sessionId.hashCode(), topicCount);
  }

  ActorRef<Topic.Command<SessionFeed>> topicFor(String sessionId) {
    return sessionTopics.get(topicIndex(sessionId, sessionTopics.size()));
  }

  ActorRef<Topic.Command<SessionSummary>> lobby() {
    return lobby;
  }

  /** Names of every topic of this node, in the order of {@link #stats}: the session topics, then the lobby. */
  List<String> names() {
    List<String> names = new ArrayList<>(sessionTopics.size() + 1);
    for (int i = 0; i < sessionTopics.size(); i++) names.add(SESSION_TOPIC_PREFIX + i);
    names.add(LOBBY_TOPIC);
    return names;
  }

  /**
   * Every local topic actor's {@link Topic.TopicStats} (local subscribers, topic instances it publishes to), asked
   * in parallel, in the order of {@link #names}. Fails when any topic does not answer within {@code timeout}.
   */
  CompletionStage<List<Topic.TopicStats>> stats(Scheduler scheduler, Duration timeout) {
    List<CompletableFuture<Topic.TopicStats>> asks = new ArrayList<>(sessionTopics.size() + 1);
    for (ActorRef<Topic.Command<SessionFeed>> topic : sessionTopics) {
      asks.add(
          PekkoCompletion.inline(
              AskPattern.<Topic.Command<SessionFeed>, Topic.TopicStats>ask(
                  topic, Topic::getTopicStats, timeout, scheduler)));
    }
    asks.add(
        PekkoCompletion.inline(
            AskPattern.<Topic.Command<SessionSummary>, Topic.TopicStats>ask(
                lobby, Topic::getTopicStats, timeout, scheduler)));
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(done -> asks.stream().map(CompletableFuture::join).toList());
  }

  private static <T> Behavior<T> sink(Class<T> type, Consumer<T> consumer) {
    return Behaviors.receive(type)
        .onMessage(
            type,
            message -> {
              try {
                consumer.accept(message);
              } catch (RuntimeException e) {
                log.error("delivering {} failed", message.getClass().getSimpleName(), e);
              }
              return Behaviors.same();
            })
        .build();
  }
}
