package floorcast.session;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/** Hands everything a session publishes to test probes. */
final class ProbePublisher implements SessionPublisher {
  final TestProbe<SessionFeed> feed;
  final TestProbe<SessionSummary> summaries;

  ProbePublisher(ActorTestKit kit) {
    feed = kit.createTestProbe(SessionFeed.class);
    summaries = kit.createTestProbe(SessionSummary.class);
  }

  @Override
  public void publish(SessionFeed f) {
    feed.getRef().tell(f);
  }

  @Override
  public void summaryChanged(SessionSummary summary) {
    summaries.getRef().tell(summary);
  }
}
