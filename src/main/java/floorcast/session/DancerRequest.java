package floorcast.session;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import floorcast.serialization.CborSerializable;
import java.util.List;

/**
 * One dancer action inside a {@link SessionCommand.DancerBatch} (protocol.md §4). {@code clientId} is the
 * connection's locked clientId or {@code null}; the entity applies the spec's checks in the spec's order.
 * {@code messageId} is carried for the journal (reliability ledger) and may be {@code null}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = DancerRequest.Subscribe.class, name = "Subscribe"),
  @JsonSubTypes.Type(value = DancerRequest.Unsubscribe.class, name = "Unsubscribe"),
  @JsonSubTypes.Type(value = DancerRequest.Like.class, name = "Like"),
  @JsonSubTypes.Type(value = DancerRequest.BulkLike.class, name = "BulkLike"),
  @JsonSubTypes.Type(value = DancerRequest.RemoveLike.class, name = "RemoveLike"),
  @JsonSubTypes.Type(value = DancerRequest.TempoVote.class, name = "TempoVote"),
  @JsonSubTypes.Type(value = DancerRequest.PollVote.class, name = "PollVote"),
  @JsonSubTypes.Type(value = DancerRequest.Reaction.class, name = "Reaction")
})
public sealed interface DancerRequest extends CborSerializable {
  String messageId();

  /** §4.1 step 3. */
  record Subscribe(String connectionId, String clientId, String messageId) implements DancerRequest {}

  /** Connection closed or moved to another session (§8 leave). Result is ignored. */
  record Unsubscribe(String connectionId, String clientId, String messageId) implements DancerRequest {}

  record Like(String clientId, TrackInfo track, String messageId) implements DancerRequest {}

  record BulkLike(String clientId, List<TrackInfo> tracks, String messageId) implements DancerRequest {}

  record RemoveLike(String clientId, TrackInfo track, String messageId) implements DancerRequest {}

  /** preference ∈ faster, slower, perfect, clear. */
  record TempoVote(String clientId, String preference, String messageId) implements DancerRequest {}

  /** {@code pollId} -1 when not an integer on the wire; {@code optionIndex} as sent (checked for integrality). */
  record PollVote(String clientId, long pollId, double optionIndex, String messageId) implements DancerRequest {}

  /** {@code rateKey} = clientId, or a per-connection key when the connection has none (§4.8). */
  record Reaction(String rateKey, String messageId) implements DancerRequest {}
}
