package floorcast.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import floorcast.serialization.JsonSerializable;
import java.time.Instant;
import java.util.List;

/**
 * The session journal (data.md §1.1). Persisted as JSON; the Jackson manifest is the class name
 * ({@code floorcast.session.SessionEvent$TrackPlayed}), so these names and this file's nesting are permanent.
 * New fields must be nullable/defaulted so older journals stay readable. DJ-command events carry their
 * {@code messageId} at the top level (the reliability SQL reads {@code event_payload ->> 'messageId'}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface SessionEvent extends JsonSerializable {

  /** {@code connectionId} is additive: the DJ connection to re-attach after recovery. */
  record SessionCreated(
      String sessionId,
      String djName,
      Long ownerUserId,
      String ownerClientId,
      boolean connectionBound,
      Instant startedAt,
      String clientVersion,
      String connectionId)
      implements SessionEvent {}

  record DjAttached(Instant at, boolean authenticated, Long awayMs, String connectionId) implements SessionEvent {}

  /** cause: disconnect, replaced, recovery. */
  record DjDetached(Instant at, String cause) implements SessionEvent {}

  record TrackPlayed(TrackInfo track, String trackKey, boolean newPlay, Instant at, String messageId)
      implements SessionEvent {}

  /** {@code track} is the merged current track. */
  record TrackRepeated(TrackInfo track, Instant at, String messageId) implements SessionEvent {}

  /** {@code fields}: the values provided (artist/title are the stored spelling); {@code track}: merged result. */
  record MetadataMerged(TrackInfo fields, TrackInfo track, String trackKey, Instant at, String messageId)
      implements SessionEvent {}

  record TrackStopped(Instant at, String messageId) implements SessionEvent {}

  record TempoTallied(
      String artist, String title, String trackKey, int faster, int slower, int perfect, Instant at)
      implements SessionEvent {}

  record PollStarted(
      long pollId,
      String question,
      List<String> options,
      Instant endsAt,
      String trackArtist,
      String trackTitle,
      Instant at,
      String messageId)
      implements SessionEvent {}

  /** reason: ended, expired, replaced, cancelled, session_ended. */
  record PollEnded(long pollId, String reason, Instant at, String messageId) implements SessionEvent {}

  record AnnouncementSet(String message, Instant timestamp, Instant endsAt, String messageId)
      implements SessionEvent {}

  /** reason: cancelled, expired. */
  record AnnouncementCleared(String reason, Instant at, String messageId) implements SessionEvent {}

  record SeqReserved(long upTo) implements SessionEvent {}

  /** reason: dj_ended, dj_timeout, expired. */
  record SessionEnded(String reason, Instant at, String messageId) implements SessionEvent {}

  /**
   * Dancer actions of one ingress batch, persisted as one event (a hot session absorbs thousands of likes per
   * second without one journal row per like). {@code messageIds}: the client ids of the batched commands that
   * carried one (reliability ledger, jsonb containment).
   */
  record DancerActionsRecorded(List<DancerAction> actions, List<String> messageIds) implements SessionEvent {}

  /** The single dancer facts of data.md §1.1, inside {@link DancerActionsRecorded}. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = LikeAdded.class, name = "LikeAdded"),
    @JsonSubTypes.Type(value = LikeRemoved.class, name = "LikeRemoved"),
    @JsonSubTypes.Type(value = TempoVoteSet.class, name = "TempoVoteSet"),
    @JsonSubTypes.Type(value = TempoVoteCleared.class, name = "TempoVoteCleared"),
    @JsonSubTypes.Type(value = PollVoteCast.class, name = "PollVoteCast"),
    @JsonSubTypes.Type(value = ListenerJoined.class, name = "ListenerJoined"),
    @JsonSubTypes.Type(value = ListenerLeft.class, name = "ListenerLeft")
  })
  sealed interface DancerAction {
    String clientId();

    Instant at();
  }

  record LikeAdded(String clientId, String trackKey, Instant at) implements DancerAction {}

  record LikeRemoved(String clientId, String trackKey, Instant at) implements DancerAction {}

  /** preference: faster, slower, perfect. */
  record TempoVoteSet(String clientId, String preference, Instant at) implements DancerAction {}

  record TempoVoteCleared(String clientId, Instant at) implements DancerAction {}

  record PollVoteCast(long pollId, String clientId, int optionIndex, Instant at) implements DancerAction {}

  record ListenerJoined(String clientId, Instant at) implements DancerAction {}

  record ListenerLeft(String clientId, Instant at) implements DancerAction {}
}
