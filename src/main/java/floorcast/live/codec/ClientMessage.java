package floorcast.live.codec;

import floorcast.session.TrackInfo;
import java.util.List;

/**
 * A validated client→server message (protocol.md §3–§5). Strings are already trimmed where the spec says
 * "trimmed"; optional values are {@code null} when absent. The common envelope fields (messageId, clientId,
 * version) travel beside it in {@link InboundFrame.Valid}.
 */
public sealed interface ClientMessage {

  /** §3.1; {@code sessionId}, {@code djName} null when absent; {@code token} null when absent or empty. */
  record RegisterSession(String sessionId, String djName, String token) implements ClientMessage {}

  /** §3.2 */
  record BroadcastTrack(String sessionId, TrackInfo track) implements ClientMessage {}

  /** §3.3 */
  record UpdateMetadata(String sessionId, TrackInfo track) implements ClientMessage {}

  /** §3.4 */
  record StopTrack(String sessionId) implements ClientMessage {}

  /** §3.5 */
  record EndSession(String sessionId) implements ClientMessage {}

  /** §3.6 */
  record SendAnnouncement(String sessionId, String message, Integer durationSeconds) implements ClientMessage {}

  /** §3.7 */
  record CancelAnnouncement(String sessionId) implements ClientMessage {}

  /** §3.8 */
  record StartPoll(String sessionId, String question, List<String> options, Integer durationSeconds)
      implements ClientMessage {}

  /** §3.9; {@code pollId} is -1 when the wire number is not a server-issued id (matches no poll). */
  record EndPoll(long pollId) implements ClientMessage {}

  /** §3.10; at least one of the two is set. */
  record CancelPoll(String sessionId, Long pollId) implements ClientMessage {}

  /** §4.1; {@code sessionId} null = lobby request. */
  record Subscribe(String sessionId, Long lastSeq) implements ClientMessage {}

  /** §4.2 */
  record GetSessions() implements ClientMessage {}

  /** §4.3 */
  record SendLike(String sessionId, TrackInfo track) implements ClientMessage {}

  /** §4.4; only the first 100 tracks are kept. */
  record SendBulkLike(String sessionId, List<TrackInfo> tracks) implements ClientMessage {}

  /** §4.5 */
  record RemoveLike(String sessionId, TrackInfo track) implements ClientMessage {}

  /** §4.6; preference ∈ faster, slower, perfect, clear. */
  record SendTempoRequest(String sessionId, String preference) implements ClientMessage {}

  /** §4.7; {@code pollId} -1 when not a server-issued id; {@code optionIndex} as sent. */
  record VoteOnPoll(long pollId, double optionIndex) implements ClientMessage {}

  /** §4.8; the reaction is always thank_you. */
  record SendReaction(String sessionId) implements ClientMessage {}

  /** §5 */
  record Ping() implements ClientMessage {}

  /** §5 */
  record ValidateSession(String sessionId) implements ClientMessage {}
}
