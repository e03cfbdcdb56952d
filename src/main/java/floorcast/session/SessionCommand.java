package floorcast.session;

import floorcast.serialization.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Everything a {@link DjSession} entity accepts. {@code connectionId} identifies one WebSocket connection
 * cluster-wide (node address + local id); the entity never talks to sockets, it only remembers which connection
 * holds the DJ role and who is subscribed.
 */
public sealed interface SessionCommand extends CborSerializable {

  /**
   * protocol.md §3.1. The gateway has already validated the token: {@code accountId}/{@code accountDisplayName}
   * are set only for a valid one. {@code knownInReadSide}: the id exists in the {@code sessions} table (imported
   * from Pika!); used only when this entity has never been registered. {@code atCapacity}: the cluster already
   * has MAX_SESSIONS live sessions. {@code notAfterEpochMillis}: the asker gives up then (its ask timed out and it
   * answered the client already); a registration delivered later (e.g. buffered by sharding during a fail-over)
   * must not take the DJ role from a newer one, so it is refused.
   */
  record Register(
      String connectionId,
      String requestedDjName,
      Long accountId,
      String accountDisplayName,
      String clientId,
      String clientVersion,
      boolean knownInReadSide,
      boolean atCapacity,
      ActorRef<SessionReply> replyTo,
      Long notAfterEpochMillis) implements SessionCommand {

    /** Without a deadline (tests, tools). */
    public Register(
        String connectionId,
        String requestedDjName,
        Long accountId,
        String accountDisplayName,
        String clientId,
        String clientVersion,
        boolean knownInReadSide,
        boolean atCapacity,
        ActorRef<SessionReply> replyTo) {
      this(connectionId, requestedDjName, accountId, accountDisplayName, clientId, clientVersion, knownInReadSide,
          atCapacity, replyTo, null);
    }
  }

  /** The DJ connection closed, or registered another session (§7.3). No reply. */
  record DjDisconnected(String connectionId) implements SessionCommand {}

  /** Any inbound frame on the DJ connection (weak-ownership liveness, §3.1 step 4). No reply. */
  record DjHeartbeat(String connectionId) implements SessionCommand {}

  /** DJ commands of protocol.md §3.0–§3.10; each answers {@link SessionReply}. */
  sealed interface DjCommand extends SessionCommand {
    String connectionId();

    /** Client-chosen id or {@code null}. */
    String messageId();

    ActorRef<SessionReply> replyTo();
  }

  record BroadcastTrack(String connectionId, String messageId, TrackInfo track, ActorRef<SessionReply> replyTo)
      implements DjCommand {}

  record UpdateMetadata(String connectionId, String messageId, TrackInfo track, ActorRef<SessionReply> replyTo)
      implements DjCommand {}

  record StopTrack(String connectionId, String messageId, ActorRef<SessionReply> replyTo) implements DjCommand {}

  record EndSession(String connectionId, String messageId, ActorRef<SessionReply> replyTo) implements DjCommand {}

  record SendAnnouncement(
      String connectionId, String messageId, String message, Integer durationSeconds, ActorRef<SessionReply> replyTo)
      implements DjCommand {}

  record CancelAnnouncement(String connectionId, String messageId, ActorRef<SessionReply> replyTo)
      implements DjCommand {}

  /** {@code pollId} was allocated by the gateway from the cluster-unique sequence (§11.1). */
  record StartPoll(
      String connectionId,
      String messageId,
      long pollId,
      String question,
      List<String> options,
      Integer durationSeconds,
      ActorRef<SessionReply> replyTo)
      implements DjCommand {}

  /** {@code pollId} is -1 when the wire value was not an integer (matches no poll). */
  record EndPoll(String connectionId, String messageId, long pollId, ActorRef<SessionReply> replyTo)
      implements DjCommand {}

  /** {@code pollId} null = the active poll. */
  record CancelPoll(String connectionId, String messageId, Long pollId, ActorRef<SessionReply> replyTo)
      implements DjCommand {}

  /**
   * Dancer actions, batched per node and session by the gateway's ingress so a hot session persists one event per
   * batch instead of one per like (issue: 5,000 likes/s). Results come back in request order.
   */
  record DancerBatch(List<DancerRequest> requests, ActorRef<DancerBatchReply> replyTo) implements SessionCommand {}

  /** The full durable state (diagnostics, tests, the debug view). */
  record GetState(ActorRef<SessionState> replyTo) implements SessionCommand {}

  /** Summary for VALIDATE_SESSION, the lobby and REST. */
  record GetSummary(ActorRef<SessionSummary> replyTo) implements SessionCommand {}

  /**
   * After the entity recovered (it published {@link SessionFeed.Recovered}), connections that were subscribed or
   * held the DJ role re-attach (§7.6). No reply.
   */
  record Reattach(String connectionId, boolean dj, String listenerClientId) implements SessionCommand {}

  /** Sent by the node-level keeper to start remembered/due entities; does nothing else. */
  record WakeUp() implements SessionCommand {}

  /** Stop message for sharding hand-off and self-passivation. */
  record Passivate() implements SessionCommand {}

  /** Internal timer: due instants (poll end, announcement expiry, grace, stale expiry, re-attach, ageing). */
  record Tick() implements SessionCommand {}

  /** Internal timer: the coalescing window of one kind of message ended (protocol.md §14.1). */
  record Flush(String kind) implements SessionCommand {}

  /** Internal timer: an ended or never-registered session was idle long enough to passivate. */
  record IdleTimeout() implements SessionCommand {}
}
