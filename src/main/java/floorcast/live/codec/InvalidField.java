package floorcast.live.codec;

/** The first schema violation found in a message; its text becomes {@code Invalid message: <reason>}. */
final class InvalidField extends RuntimeException {
  InvalidField(String reason) {
    super(reason, null, false, false);
  }

  String reason() {
    return getMessage();
  }
}
