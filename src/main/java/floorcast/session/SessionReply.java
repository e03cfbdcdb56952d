package floorcast.session;

import floorcast.serialization.CborSerializable;
import java.util.List;

/** Answer to {@link SessionCommand.Register} and every {@link SessionCommand.DjCommand}. */
public sealed interface SessionReply extends CborSerializable {

  /**
   * The command was applied (or was a duplicate). The sender emits {@code beforeAck}, then ACK (if it gave a
   * messageId), then {@code afterAck}. {@code afterAck} holds the session messages the sender receives as a
   * recipient (it is the DJ connection), so its order is exact even though the same messages also travel through
   * the feed (the connection's seq gate drops the second copy).
   */
  record Accepted(List<SessionMessage> beforeAck, List<SessionMessage> afterAck) implements SessionReply {
    public static Accepted empty() {
      return new Accepted(List.of(), List.of());
    }
  }

  /** NACK (or ERROR without messageId). For REGISTER_SESSION, SESSION_HAS_ENDED also closes with 4410. */
  record Rejected(SessionError error) implements SessionReply {}

  /** REGISTER_SESSION for a new id while the cluster is at MAX_SESSIONS: close 1013, no NACK. */
  record AtCapacity() implements SessionReply {}
}
