package floorcast.session;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The session rules' numbers (protocol.md §16), read from {@code floorcast.session} in HOCON with the spec's
 * defaults. Tests shorten the timers.
 */
public record SessionSettings(
    Duration djGrace,
    Duration trackThrottle,
    Duration dedupWindow,
    int dedupMaxIds,
    int likesPerMinute,
    int bulkLikesPerMinute,
    int bulkLikeMaxTracks,
    int actionsPerMinute,
    Duration tempoVoteLifetime,
    Duration tempoRecheck,
    Duration listenerSticky,
    Duration listenerPurge,
    Duration djSilentTakeover,
    Duration reattachWindow,
    Duration staleIdle,
    Duration staleAge,
    Duration maxAge,
    Duration staleCheck,
    Duration likeWindow,
    Duration reactionWindow,
    Duration pollUpdateWindow,
    Duration tempoWindow,
    Duration listenerWindow,
    Duration idlePassivation,
    long seqBlock,
    int snapshotEvery) {

  public static SessionSettings defaults() {
    return new SessionSettings(
        Duration.ofSeconds(600),
        Duration.ofMillis(5000),
        Duration.ofMinutes(5),
        10_000,
        10,
        5,
        100,
        30,
        Duration.ofSeconds(300),
        Duration.ofSeconds(30),
        Duration.ofSeconds(300),
        Duration.ofHours(1),
        Duration.ofSeconds(45),
        Duration.ofSeconds(10),
        Duration.ofHours(4),
        Duration.ofHours(8),
        Duration.ofHours(24),
        Duration.ofMinutes(1),
        Duration.ofMillis(250),
        Duration.ofMillis(250),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofMillis(2000),
        Duration.ofSeconds(60),
        10_000,
        1000);
  }

  /** Reads {@code floorcast.session} (see reference in application.conf). */
  public static SessionSettings fromConfig(Config root) {
    Config c = root.getConfig("floorcast.session");
    return new SessionSettings(
        Duration.ofSeconds(c.getLong("dj-grace-seconds")),
        c.getDuration("track-throttle"),
        c.getDuration("dedup-window"),
        c.getInt("dedup-max-ids"),
        c.getInt("likes-per-minute"),
        c.getInt("bulk-likes-per-minute"),
        c.getInt("bulk-like-max-tracks"),
        c.getInt("actions-per-minute"),
        c.getDuration("tempo-vote-lifetime"),
        c.getDuration("tempo-recheck"),
        c.getDuration("listener-sticky"),
        c.getDuration("listener-purge"),
        c.getDuration("dj-silent-takeover"),
        c.getDuration("reattach-window"),
        c.getDuration("stale-idle"),
        c.getDuration("stale-age"),
        c.getDuration("max-age"),
        c.getDuration("stale-check"),
        c.getDuration("like-window"),
        c.getDuration("reaction-window"),
        c.getDuration("poll-update-window"),
        c.getDuration("tempo-window"),
        c.getDuration("listener-window"),
        c.getDuration("idle-passivation"),
        c.getLong("seq-block"),
        c.getInt("snapshot-every"));
  }
}
