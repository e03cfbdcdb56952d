package floorcast.live.transport;

import floorcast.live.FeedListener;
import floorcast.live.LiveMetrics;
import floorcast.live.MessageRenderer;
import floorcast.live.NodeFanout;
import floorcast.live.RenderedMessage;
import floorcast.session.SessionFeed;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's fan-out (protocol.md §1.4): a session's feed arrives once per node from its topic, is rendered to JSON
 * once ({@code renderer}, the gateway codec), and is handed to every local listener following the session; LOBBY
 * messages also reach lobby watchers (each listener once), DJ_ONLY only the target connection. Listeners must not
 * block (they queue into their connection's outbound queue).
 *
 * <p>Metrics, once per delivery and never per connection: the outbound count of the message's type grows by the
 * number of listeners it was handed to, and the fan-out latency is recorded from the entity's publish stamp to the
 * end of the hand-off to the last listener (the entity's and this node's wall clocks: on different hosts their
 * offset is part of the figure).
 */
public final class ClusterNodeFanout implements NodeFanout {
  private static final Logger log = LoggerFactory.getLogger(ClusterNodeFanout.class);

  private final MessageRenderer renderer;
  private final LiveMetrics metrics;
  private final ConcurrentHashMap<String, Set<FeedListener>> followers = new ConcurrentHashMap<>();
  private final Set<FeedListener> lobbyWatchers = ConcurrentHashMap.newKeySet();

  public ClusterNodeFanout(MessageRenderer renderer, LiveMetrics metrics) {
    this.renderer = renderer;
    this.metrics = metrics;
  }

  @Override
  public void follow(String sessionId, FeedListener listener) {
    followers.compute(
        sessionId,
        (id, set) -> {
          Set<FeedListener> s = set == null ? ConcurrentHashMap.newKeySet() : set;
          s.add(listener);
          return s;
        });
  }

  @Override
  public void unfollow(String sessionId, FeedListener listener) {
    followers.computeIfPresent(
        sessionId,
        (id, set) -> {
          set.remove(listener);
          return set.isEmpty() ? null : set;
        });
  }

  @Override
  public void watchLobby(FeedListener listener) {
    lobbyWatchers.add(listener);
  }

  @Override
  public void unwatchLobby(FeedListener listener) {
    lobbyWatchers.remove(listener);
  }

  /** Local listeners following this session (for gauges and tests). */
  public int followerCount(String sessionId) {
    Set<FeedListener> s = followers.get(sessionId);
    return s == null ? 0 : s.size();
  }

  /** One feed from the session's topic; runs on that topic's feed actor. */
  void deliver(SessionFeed feed) {
    Set<FeedListener> sessionFollowers = followers.get(feed.sessionId());
    if (feed instanceof SessionFeed.Published p) {
      deliverPublished(p, sessionFollowers);
    } else if (feed instanceof SessionFeed.Recovered r) {
      if (sessionFollowers == null) return;
      for (FeedListener l : sessionFollowers) {
        try {
          l.onRecovered(r);
        } catch (RuntimeException e) {
          log.error("listener {} failed on Recovered", l.connectionId(), e);
        }
      }
    } else if (feed instanceof SessionFeed.DjRoleRevoked revoked) {
      if (sessionFollowers == null) return;
      for (FeedListener l : sessionFollowers) {
        if (!l.connectionId().equals(revoked.connectionId())) continue;
        try {
          l.onDjRoleRevoked(revoked);
        } catch (RuntimeException e) {
          log.error("listener {} failed on DjRoleRevoked", l.connectionId(), e);
        }
      }
    }
  }

  private void deliverPublished(SessionFeed.Published p, Set<FeedListener> sessionFollowers) {
    SessionFeed.Audience audience = p.audience() == null ? SessionFeed.Audience.SESSION : p.audience();
    boolean toLobby = audience == SessionFeed.Audience.LOBBY && !lobbyWatchers.isEmpty();
    boolean toFollowers = sessionFollowers != null && !sessionFollowers.isEmpty();
    if (!toLobby && !toFollowers) return;
    RenderedMessage rendered;
    try {
      rendered = new RenderedMessage(audience, p.targetConnectionId(), p.message(), renderer.render(p.message()));
    } catch (RuntimeException e) {
      log.error("rendering {} of session {} failed", p.message().getClass().getSimpleName(), p.sessionId(), e);
      return;
    }
    int handed = 0;
    if (audience == SessionFeed.Audience.DJ_ONLY) {
      if (!toFollowers || p.targetConnectionId() == null) return;
      for (FeedListener l : sessionFollowers) {
        if (p.targetConnectionId().equals(l.connectionId()) && hand(l, rendered)) handed++;
      }
    } else {
      if (toFollowers) {
        for (FeedListener l : sessionFollowers) {
          if (hand(l, rendered)) handed++;
        }
      }
      if (toLobby) {
        for (FeedListener l : lobbyWatchers) {
          if ((sessionFollowers == null || !sessionFollowers.contains(l)) && hand(l, rendered)) handed++;
        }
      }
    }
    // messages out are counted by each connection when it really writes the frame (held copies may be dropped)
    if (handed == 0) return;
    if (p.publishedAtMillis() > 0) {
      metrics.fanoutLatency(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - p.publishedAtMillis())));
    }
  }

  /** False when the listener failed. */
  private static boolean hand(FeedListener listener, RenderedMessage message) {
    try {
      listener.onMessage(message);
      return true;
    } catch (RuntimeException e) {
      log.error("listener {} failed on {}", listener.connectionId(), message.message().getClass().getSimpleName(), e);
      return false;
    }
  }
}
