package floorcast.ops;

import floorcast.session.DancerBatchReply;
import floorcast.session.DancerRequest;
import floorcast.session.SessionCommand;
import floorcast.session.SessionMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The live session the broadcast-path warm-up's connections subscribe to ({@link BroadcastPathWarmup}): a local,
 * unpersisted actor in place of a session entity, reached only through the warm-up's own connection services. It
 * answers dancer batches as a live session's entity does: a SUBSCRIBE gets the snapshot (protocol.md §4.1 step 3),
 * every other request an ACK. Nothing of it is journaled, listed or published to the cluster; other commands are
 * not answered (the warm-up's connections send none).
 */
final class WarmupSessionStandIn {
  private WarmupSessionStandIn() {}

  static Behavior<SessionCommand> create(List<SessionMessage> snapshot) {
    return Behaviors.receiveMessage(
        command -> {
          if (command instanceof SessionCommand.DancerBatch batch) {
            List<DancerBatchReply.DancerResult> results = new ArrayList<>(batch.requests().size());
            for (DancerRequest request : batch.requests()) {
              results.add(
                  request instanceof DancerRequest.Subscribe
                      ? new DancerBatchReply.Snapshot(snapshot)
                      : DancerBatchReply.ok());
            }
            batch.replyTo().tell(new DancerBatchReply(results));
          }
          return Behaviors.same();
        });
  }
}
