package floorcast.live.protocol;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The gateway numbers a connection needs (floorcast.conf): entity ask timeout, MAX_SESSIONS, invalid-message
 * budget per 60 s, and how often DJ traffic is forwarded to the entity as a liveness heartbeat.
 */
public record ConnectionSettings(
    Duration askTimeout, int maxSessions, int invalidMessagesPerMinute, Duration djHeartbeatInterval) {

  public static ConnectionSettings from(Config config) {
    return new ConnectionSettings(
        config.getDuration("floorcast.live.ask-timeout"),
        config.getInt("floorcast.session.max-sessions"),
        config.getInt("floorcast.live.invalid-messages-per-minute"),
        // §3.1 step 4 needs "silent for 45 s" at second granularity; one heartbeat per 5 s is plenty
        Duration.ofSeconds(5));
  }
}
