package floorcast.session;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import floorcast.serialization.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * Server→client messages a session emits (protocol.md §6), in domain form. The gateway's codec renders each to
 * its wire JSON exactly once per node. Every message except {@link SessionsList} carries the session's {@code seq}
 * (§1.5). Nullable fields are omitted on the wire.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SessionMessage.SessionRegistered.class, name = "SessionRegistered"),
  @JsonSubTypes.Type(value = SessionMessage.SessionStarted.class, name = "SessionStarted"),
  @JsonSubTypes.Type(value = SessionMessage.DjStatus.class, name = "DjStatus"),
  @JsonSubTypes.Type(value = SessionMessage.NowPlaying.class, name = "NowPlaying"),
  @JsonSubTypes.Type(value = SessionMessage.MetadataUpdated.class, name = "MetadataUpdated"),
  @JsonSubTypes.Type(value = SessionMessage.TrackStopped.class, name = "TrackStopped"),
  @JsonSubTypes.Type(value = SessionMessage.TempoReset.class, name = "TempoReset"),
  @JsonSubTypes.Type(value = SessionMessage.TempoFeedback.class, name = "TempoFeedback"),
  @JsonSubTypes.Type(value = SessionMessage.LikeReceived.class, name = "LikeReceived"),
  @JsonSubTypes.Type(value = SessionMessage.ReactionReceived.class, name = "ReactionReceived"),
  @JsonSubTypes.Type(value = SessionMessage.ListenerCount.class, name = "ListenerCount"),
  @JsonSubTypes.Type(value = SessionMessage.SessionsList.class, name = "SessionsList"),
  @JsonSubTypes.Type(value = SessionMessage.PollStarted.class, name = "PollStarted"),
  @JsonSubTypes.Type(value = SessionMessage.PollUpdate.class, name = "PollUpdate"),
  @JsonSubTypes.Type(value = SessionMessage.PollEnded.class, name = "PollEnded"),
  @JsonSubTypes.Type(value = SessionMessage.AnnouncementReceived.class, name = "AnnouncementReceived"),
  @JsonSubTypes.Type(value = SessionMessage.AnnouncementCancelled.class, name = "AnnouncementCancelled"),
  @JsonSubTypes.Type(value = SessionMessage.SessionExpired.class, name = "SessionExpired"),
  @JsonSubTypes.Type(value = SessionMessage.SessionEnded.class, name = "SessionEnded")
})
public sealed interface SessionMessage extends CborSerializable {
  String sessionId();

  /** 0 for messages without seq. */
  long seq();

  /** Message types the outbound queue may drop or supersede when a client lags (§14.2). */
  default boolean supersedable() {
    return false;
  }

  record SessionRegistered(String sessionId, long seq, boolean authenticated, String djName, boolean resumed)
      implements SessionMessage {}

  record SessionStarted(String sessionId, long seq, String djName, Instant startTime) implements SessionMessage {}

  record DjStatus(String sessionId, long seq, boolean connected) implements SessionMessage {
    @Override
    public boolean supersedable() {
      return true;
    }
  }

  record NowPlaying(String sessionId, long seq, String djName, TrackInfo track) implements SessionMessage {}

  record MetadataUpdated(String sessionId, long seq, TrackInfo track) implements SessionMessage {}

  record TrackStopped(String sessionId, long seq) implements SessionMessage {}

  record TempoReset(String sessionId, long seq) implements SessionMessage {}

  record TempoFeedback(String sessionId, long seq, int faster, int slower, int perfect, int total)
      implements SessionMessage {
    @Override
    public boolean supersedable() {
      return true;
    }
  }

  record LikeReceived(String sessionId, long seq, TrackInfo track, int count) implements SessionMessage {
    @Override
    public boolean supersedable() {
      return true;
    }
  }

  record ReactionReceived(String sessionId, long seq, String reaction, int count) implements SessionMessage {
    @Override
    public boolean supersedable() {
      return true;
    }
  }

  record ListenerCount(String sessionId, long seq, int count) implements SessionMessage {
    @Override
    public boolean supersedable() {
      return true;
    }
  }

  /** No seq. As a snapshot's first message it lists exactly this session. */
  record SessionsList(String sessionId, List<SessionSummary> sessions) implements SessionMessage {
    @Override
    public long seq() {
      return 0;
    }
  }

  /**
   * Broadcast form has {@code votes == null}; the SUBSCRIBE snapshot form adds votes, totalVotes, hasVoted and
   * (when voted) votedOptionIndex.
   */
  record PollStarted(
      String sessionId,
      long seq,
      long pollId,
      String question,
      List<String> options,
      Instant endsAt,
      List<Integer> votes,
      Integer totalVotes,
      Boolean hasVoted,
      Integer votedOptionIndex)
      implements SessionMessage {}

  record PollUpdate(String sessionId, long seq, long pollId, List<Integer> votes, int totalVotes)
      implements SessionMessage {
    @Override
    public boolean supersedable() {
      return true;
    }
  }

  record PollEnded(String sessionId, long seq, long pollId, List<Integer> results, int totalVotes, int winnerIndex)
      implements SessionMessage {}

  record AnnouncementReceived(
      String sessionId, long seq, String message, String djName, Instant timestamp, Instant endsAt)
      implements SessionMessage {}

  record AnnouncementCancelled(String sessionId, long seq) implements SessionMessage {}

  record SessionExpired(String sessionId, long seq, String reason) implements SessionMessage {}

  /** Lobby event when the session ends. The seq-less direct reply to SUBSCRIBE is {@code DancerBatchReply.NotLive}. */
  record SessionEnded(String sessionId, long seq) implements SessionMessage {}
}
