package floorcast.net;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open connections of one {@link NioHttpServer}: their count (max-connections) and, at shutdown, an abort. */
final class ConnectionRegistry {
  /** What the server can do to an open connection from any thread. */
  interface Connection {
    /** Closes the connection at once, failing its stream with {@code cause}. */
    void abort(Throwable cause);

    /** System.nanoTime() of the last byte read or written. */
    long lastActivity();
  }

  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final Runnable onRemoved;

  /** {@code onRemoved} runs after every connection's end (any thread). */
  ConnectionRegistry(Runnable onRemoved) {
    this.onRemoved = onRemoved;
  }

  void add(Connection c) {
    open.add(c);
  }

  void remove(Connection c) {
    if (open.remove(c)) onRemoved.run();
  }

  void abortAll(Throwable cause) {
    for (Connection c : open) c.abort(cause);
  }

  /** Aborts every connection with no byte read or written for {@code idleNanos}; returns how many. */
  int abortIdle(long idleNanos, long now) {
    int n = 0;
    for (Connection c : open) {
      if (now - c.lastActivity() > idleNanos) {
        c.abort(new java.util.concurrent.TimeoutException(
            "HTTP idle-timeout: no bytes passed in " + idleNanos / 1_000_000_000 + " s"));
        n++;
      }
    }
    return n;
  }
}
