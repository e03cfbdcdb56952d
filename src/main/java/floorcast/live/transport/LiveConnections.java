package floorcast.live.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.Done;

/**
 * The open WebSocket connections of this node: the connections gauge, and the graceful-shutdown close with 1012
 * {@code Server restarting} (protocol.md §7.6), after which new upgrades are refused.
 */
public final class LiveConnections {
  private final ConcurrentHashMap<String, WebSocketChannel> open = new ConcurrentHashMap<>();
  private volatile boolean accepting = true;
  private volatile CompletableFuture<Done> drained;

  void register(WebSocketChannel channel) {
    open.put(channel.connectionId(), channel);
    if (!accepting) channel.closeNow(CloseCodes.SERVER_RESTARTING, CloseCodes.SERVER_RESTARTING_REASON);
  }

  void unregister(WebSocketChannel channel) {
    open.remove(channel.connectionId(), channel);
    CompletableFuture<Done> d = drained;
    if (d != null && open.isEmpty()) d.complete(Done.getInstance());
  }

  boolean accepting() {
    return accepting;
  }

  /** Runs {@code action} for every open connection (the keep-alive ticker). */
  void forEach(Consumer<WebSocketChannel> action) {
    open.values().forEach(action);
  }

  /** Payload bytes waiting in a connection's outbound queue (0 when it is not open here). */
  long queuedBytes(String connectionId) {
    WebSocketChannel channel = open.get(connectionId);
    return channel == null ? 0 : channel.queue().bytes();
  }

  /** Gauge: connections currently open on this node. */
  public int count() {
    return open.size();
  }

  /**
   * Closes every connection with 1012 {@code Server restarting} and refuses new ones; completes when all are gone
   * or after {@code deadline} (for CoordinatedShutdown phase {@code service-requests-done}).
   */
  public CompletionStage<Done> closeAllForRestart(Duration deadline) {
    accepting = false;
    CompletableFuture<Done> d = new CompletableFuture<>();
    drained = d;
    for (WebSocketChannel channel : open.values()) {
      channel.closeNow(CloseCodes.SERVER_RESTARTING, CloseCodes.SERVER_RESTARTING_REASON);
    }
    if (open.isEmpty()) d.complete(Done.getInstance());
    return d.completeOnTimeout(Done.getInstance(), deadline.toMillis(), TimeUnit.MILLISECONDS);
  }
}
