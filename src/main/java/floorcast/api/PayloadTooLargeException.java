package floorcast.api;

/** A request body over the limit (rest.md §1: 413 {@code Payload too large}). */
public final class PayloadTooLargeException extends RuntimeException {
  public PayloadTooLargeException() {
    super("request body over the limit", null, false, false);
  }
}
