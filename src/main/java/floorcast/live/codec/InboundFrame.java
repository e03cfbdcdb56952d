package floorcast.live.codec;

/** The outcome of decoding one inbound text message (protocol.md §1.2). */
public sealed interface InboundFrame {

  /**
   * {@code messageId} is the usable id or null (§1.6); {@code clientId} the message's trimmed clientId or null;
   * {@code version} the given version when it is a string of at most 32 chars, else null (§2: never invalidates);
   * {@code type} the message's wire type.
   */
  record Valid(String messageId, String clientId, String version, ClientMessage message, String type)
      implements InboundFrame {}

  /**
   * Bad input: answered with NACK when {@code messageId} (usable) is set, else with ERROR (§1.6). {@code text} is
   * the exact error text, {@code code} its additive code.
   */
  record Invalid(String messageId, String text, String code) implements InboundFrame {}
}
