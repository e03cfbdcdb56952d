package floorcast.session;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import floorcast.serialization.CborSerializable;
import java.util.List;

/** Results of a {@link SessionCommand.DancerBatch}, one per request, in request order. */
public record DancerBatchReply(List<DancerResult> results) implements CborSerializable {

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Ok.class, name = "Ok"),
    @JsonSubTypes.Type(value = Rejected.class, name = "Rejected"),
    @JsonSubTypes.Type(value = Snapshot.class, name = "Snapshot"),
    @JsonSubTypes.Type(value = NotLive.class, name = "NotLive")
  })
  public sealed interface DancerResult extends CborSerializable {}

  /** ACK (when the request had a messageId). */
  public record Ok() implements DancerResult {}

  /** NACK / ERROR with the spec text. */
  public record Rejected(SessionError error) implements DancerResult {}

  /** SUBSCRIBE to a live session: the snapshot of §4.1 step 3, then ACK. */
  public record Snapshot(List<SessionMessage> messages) implements DancerResult {}

  /** SUBSCRIBE to an ended or never-registered session: direct SESSION_ENDED without seq, then ACK. */
  public record NotLive() implements DancerResult {}

  public static final Ok OK = new Ok();

  public static DancerResult ok() {
    return OK;
  }

  public static DancerResult rejected(SessionError error) {
    return new Rejected(error);
  }
}
