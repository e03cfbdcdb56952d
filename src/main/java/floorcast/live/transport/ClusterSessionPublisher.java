package floorcast.live.transport;

import floorcast.session.SessionFeed;
import floorcast.session.SessionPublisher;
import floorcast.session.SessionSummary;
import java.util.List;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The session entity's way out (stack.md §6): each feed goes to its session's hashed topic, each summary to the lobby
 * topic, through this node's long-lived topic actors. Topic delivery is once per subscribing node, at most once;
 * clients recover from gaps by seq and snapshots (§1.5, §15).
 */
public final class ClusterSessionPublisher implements SessionPublisher {
  private final SessionTopics topics;
  private final boolean batches;

  /**
   * {@code batches}: messages published together go out as one {@link SessionFeed.Batch}; off, one by one (what
   * nodes built before the batch existed understand: for a rolling update from such a build, docs/operations.md §5).
   */
  ClusterSessionPublisher(SessionTopics topics, boolean batches) {
    this.topics = topics;
    this.batches = batches;
  }

  @Override
  public void publish(SessionFeed feed) {
    topics.topicFor(feed.sessionId()).tell(Topic.publish(feed));
  }

  @Override
  public void publishAll(List<SessionFeed.Published> feeds) {
    if (feeds.isEmpty()) return;
    if (feeds.size() == 1 || !batches) {
      for (SessionFeed.Published feed : feeds) publish(feed);
      return;
    }
    publish(new SessionFeed.Batch(feeds.get(0).sessionId(), feeds));
  }

  @Override
  public void summaryChanged(SessionSummary summary) {
    topics.lobby().tell(Topic.publish(summary));
  }
}
