package floorcast.live.transport;

import com.typesafe.config.Config;
import java.time.Duration;

/** The transport's settings from {@code floorcast.live.*} and {@code floorcast.security.*} (protocol.md §16). */
public record LiveSettings(
    int wsRateLimit,
    Duration rateWindow,
    int maxMessageChars,
    int maxMessageBytes,
    Duration idleTimeout,
    Duration keepAlivePing,
    int queueSoftBytes,
    Duration queueSoftDuration,
    int queueHardBytes,
    int topicCount,
    int fanoutLanes,
    int fanoutInlineFollowers,
    boolean publishBatches,
    Duration askTimeout,
    Duration closeTimeout,
    String trustedProxies) {

  /** protocol.md §1.2: the transport MAY reject frames above 40,960 bytes (4 bytes per allowed character). */
  private static final int BYTES_PER_CHAR_CAP = 4;

  public static LiveSettings from(Config config) {
    Config live = config.getConfig("floorcast.live");
    int maxChars = live.getInt("max-message-chars");
    return new LiveSettings(
        live.getInt("ws-rate-limit"),
        Duration.ofSeconds(60), // §1.1: fixed 60 s window, not configurable
        maxChars,
        maxChars * BYTES_PER_CHAR_CAP,
        live.getDuration("idle-timeout"),
        live.getDuration("keep-alive-ping"),
        live.getInt("queue-soft-bytes"),
        live.getDuration("queue-soft-duration"),
        live.getInt("queue-hard-bytes"),
        live.getInt("topic-count"),
        live.getInt("fanout-lanes"),
        live.getInt("fanout-inline-followers"),
        live.getBoolean("publish-batches"),
        live.getDuration("ask-timeout"),
        live.hasPath("close-timeout") ? live.getDuration("close-timeout") : Duration.ofSeconds(5),
        config.getString("floorcast.security.trusted-proxies"));
  }
}
