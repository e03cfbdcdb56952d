package floorcast.dj;

/**
 * Timing of reliable DJ command delivery (clients.md §5, protocol.md §3.2). Tests shrink them; production uses
 * {@link #standard()}.
 *
 * @param ackTimeoutMillis no ACK within this → resend with the same id
 * @param broadcastGapMillis minimum distance between two {@code BROADCAST_TRACK}s (the server's 5 s throttle)
 * @param paceMillis minimum distance between any two sends, so a flushed backlog is paced
 * @param retryBaseMillis first delay after {@code Internal server error}, doubled per retry
 * @param retryMaxMillis cap of that delay
 */
public record DeliveryTimings(
    long ackTimeoutMillis, long broadcastGapMillis, long paceMillis, long retryBaseMillis, long retryMaxMillis) {

  public static DeliveryTimings standard() {
    return new DeliveryTimings(5_000, 5_000, 200, 1_000, 30_000);
  }
}
