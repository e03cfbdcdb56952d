package floorcast.live.transport;

import floorcast.session.SessionFeed;
import floorcast.session.SessionPublisher;
import floorcast.session.SessionSummary;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The session entity's way out (stack.md §6): each feed goes to its session's hashed topic, each summary to the lobby
 * topic, through this node's long-lived topic actors. Topic delivery is once per subscribing node, at most once;
 * clients recover from gaps by seq and snapshots (§1.5, §15).
 */
public final class ClusterSessionPublisher implements SessionPublisher {
  private final SessionTopics topics;

  ClusterSessionPublisher(SessionTopics topics) {
    this.topics = topics;
  }

  @Override
  public void publish(SessionFeed feed) {
    topics.topicFor(feed.sessionId()).tell(Topic.publish(feed));
  }

  @Override
  public void summaryChanged(SessionSummary summary) {
    topics.lobby().tell(Topic.publish(summary));
  }
}
