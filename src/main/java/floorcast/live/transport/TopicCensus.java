package floorcast.live.transport;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The propagation condition as one node sees it, for one asking node: the asker is a reachable member here, and
 * every local topic actor has its local subscriber and publishes to exactly {@code expectedInstances} topic
 * instances, one per reachable member. A topic actor lists only instances of nodes this node knows as members (the
 * receptionist drops the others), so "as many instances as reachable members, the asker among them" means this
 * node's publishes reach the asker's subscribers.
 */
record TopicCensus(List<String> names, List<Topic.TopicStats> stats, int expectedInstances, boolean askerIsMember) {

  TopicCensus {
    if (names.size() != stats.size()) throw new IllegalArgumentException("one stats entry per topic name");
  }

  /** Empty when the condition holds, else the first reason it does not (for logs). */
  Optional<String> shortfall() {
    if (!askerIsMember) return Optional.of("the asking node is not a reachable member here yet");
    for (int i = 0; i < names.size(); i++) {
      Topic.TopicStats s = stats.get(i);
      if (s.localSubscriberCount() < 1) return Optional.of(names.get(i) + " has no local subscriber");
      if (s.topicInstanceCount() != expectedInstances) {
        return Optional.of(
            names.get(i) + " publishes to " + s.topicInstanceCount() + " of " + expectedInstances + " nodes");
      }
    }
    return Optional.empty();
  }
}
