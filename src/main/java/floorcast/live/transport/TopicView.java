package floorcast.live.transport;

import floorcast.serialization.CborSerializable;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * One per node at {@code /system/floorcast-topic-view}: answers another node's (or its own node's) question "do your
 * topic actors publish to my subscribers?" with this node's {@link TopicCensus} for the asker. The topic actors'
 * own stats request is not serializable, so remote nodes ask this actor instead.
 */
final class TopicView {
  static final String NAME = "floorcast-topic-view";

  /** Asked by the node {@code askerAddress} with its incarnation {@code askerUid}. */
  record Query(String askerAddress, long askerUid, ActorRef<Report> replyTo) implements CborSerializable {}

  /** {@code shortfall} is empty when this node's topics publish to the asker's subscribers. */
  record Report(String node, String shortfall) implements CborSerializable {
    boolean propagated() {
      return shortfall.isEmpty();
    }
  }

  private TopicView() {}

  static Behavior<Query> create(SessionTopics topics, Duration statsTimeout) {
    return Behaviors.setup(
        ctx -> {
          Cluster cluster = Cluster.get(ctx.getSystem());
          String self = cluster.selfMember().address().toString();
          return Behaviors.receiveMessage(
              q -> {
                topics
                    .stats(ctx.getSystem().scheduler(), statsTimeout)
                    .whenComplete(
                        (stats, failure) -> {
                          if (failure != null) {
                            q.replyTo().tell(new Report(self, "topic stats did not answer: " + failure.getMessage()));
                            return;
                          }
                          CurrentClusterState state = cluster.state();
                          int reachable = 0;
                          boolean askerKnown = false;
                          for (Member m : state.getMembers()) {
                            if (state.getUnreachable().contains(m)) continue;
                            reachable++;
                            UniqueAddress u = m.uniqueAddress();
                            if (u.longUid() == q.askerUid() && u.address().toString().equals(q.askerAddress())) {
                              askerKnown = true;
                            }
                          }
                          String shortfall =
                              new TopicCensus(topics.names(), stats, reachable, askerKnown).shortfall().orElse("");
                          q.replyTo().tell(new Report(self, shortfall));
                        });
                return Behaviors.same();
              });
        });
  }
}
