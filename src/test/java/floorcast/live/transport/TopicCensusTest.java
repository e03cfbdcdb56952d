package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.Test;

class TopicCensusTest {
  record Stats(int localSubscriberCount, int topicInstanceCount) implements Topic.TopicStats {}

  static final List<String> NAMES = List.of("floorcast-session-0", "floorcast-session-1", "floorcast-lobby");

  @Test
  void holdsWhenEveryTopicHasItsSubscriberAndOneInstancePerMember() {
    TopicCensus census = new TopicCensus(NAMES, List.of(new Stats(1, 3), new Stats(1, 3), new Stats(1, 3)), 3, true);
    assertEquals(Optional.empty(), census.shortfall());
  }

  @Test
  void aTopicThatDoesNotYetListEveryMemberIsAShortfall() {
    TopicCensus census = new TopicCensus(NAMES, List.of(new Stats(1, 3), new Stats(1, 2), new Stats(1, 3)), 3, true);
    assertEquals(Optional.of("floorcast-session-1 publishes to 2 of 3 nodes"), census.shortfall());
  }

  @Test
  void moreInstancesThanReachableMembersIsNotReadyEither() {
    // an instance of a node this node does not count yet: the count cannot prove the asker is among them
    TopicCensus census = new TopicCensus(NAMES, List.of(new Stats(1, 3), new Stats(1, 3), new Stats(1, 4)), 3, true);
    assertEquals(Optional.of("floorcast-lobby publishes to 4 of 3 nodes"), census.shortfall());
  }

  @Test
  void aTopicWithoutItsLocalSubscriberIsAShortfall() {
    TopicCensus census = new TopicCensus(NAMES, List.of(new Stats(0, 3), new Stats(1, 3), new Stats(1, 3)), 3, true);
    assertEquals(Optional.of("floorcast-session-0 has no local subscriber"), census.shortfall());
  }

  @Test
  void anAskerThatIsNotAReachableMemberHereIsAShortfall() {
    TopicCensus census = new TopicCensus(NAMES, List.of(new Stats(1, 3), new Stats(1, 3), new Stats(1, 3)), 3, false);
    assertEquals(Optional.of("the asking node is not a reachable member here yet"), census.shortfall());
  }

  @Test
  void needsOneStatsEntryPerTopic() {
    assertThrows(IllegalArgumentException.class, () -> new TopicCensus(NAMES, List.of(new Stats(1, 1)), 1, true));
  }
}
