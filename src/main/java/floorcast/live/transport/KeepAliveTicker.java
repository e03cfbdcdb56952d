package floorcast.live.transport;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The node's one keep-alive clock (protocol.md §1.1): a single task walks the open connections every tick, sends a
 * protocol Ping to each connection due for one ({@code keep-alive-ping}) and reports connections silent for
 * {@code idle-timeout} to their stage, which closes them with 1001 unless a message of theirs is still being
 * handled. Instead of two timers per connection (each firing through the scheduler into the connection's stream):
 * a Ping costs one offer to the connection's queue, written straight to the socket over Floorcast's transport. It
 * runs until the actor system terminates (after the graceful shutdown has closed every connection).
 */
final class KeepAliveTicker {
  private final LiveConnections connections;
  private final long pingNanos;
  private final long idleNanos;

  private KeepAliveTicker(LiveConnections connections, LiveSettings settings) {
    this.connections = connections;
    this.pingNanos = settings.keepAlivePing().toNanos();
    this.idleNanos = settings.idleTimeout().toNanos();
  }

  /** Starts the clock for {@code connections} on {@code system}'s scheduler. */
  static void start(ActorSystem<?> system, LiveConnections connections, LiveSettings settings) {
    KeepAliveTicker ticker = new KeepAliveTicker(connections, settings);
    Duration tick = tick(settings);
    system.scheduler().scheduleWithFixedDelay(tick, tick, ticker::tick, system.executionContext());
  }

  /** A quarter of the shorter period, between 10 ms and 1 s: a Ping is at most that late. */
  static Duration tick(LiveSettings settings) {
    long shorter = Math.min(settings.keepAlivePing().toMillis(), settings.idleTimeout().toMillis());
    return Duration.ofMillis(Math.max(10, Math.min(1000, shorter / 4)));
  }

  private void tick() {
    long now = System.nanoTime();
    connections.forEach(channel -> channel.keepAlive(now, pingNanos, idleNanos));
  }
}
