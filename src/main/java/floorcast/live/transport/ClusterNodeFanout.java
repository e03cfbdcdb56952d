package floorcast.live.transport;

import floorcast.live.FeedListener;
import floorcast.live.NodeFanout;
import floorcast.live.RenderedMessage;
import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's fan-out (protocol.md §1.4): a session's feed arrives once per node from its topic, is rendered to JSON
 * once ({@code renderer}, the gateway codec), and is handed to every local listener following the session; LOBBY
 * messages also reach lobby watchers (each listener once), DJ_ONLY only the target connection. Listeners must not
 * block (they queue into their connection's outbound queue).
 */
public final class ClusterNodeFanout implements NodeFanout {
  private static final Logger log = LoggerFactory.getLogger(ClusterNodeFanout.class);

  private final Function<SessionMessage, String> renderer;
  private final ConcurrentHashMap<String, Set<FeedListener>> followers = new ConcurrentHashMap<>();
  private final Set<FeedListener> lobbyWatchers = ConcurrentHashMap.newKeySet();

  public ClusterNodeFanout(Function<SessionMessage, String> renderer) {
    this.renderer = renderer;
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
      rendered = new RenderedMessage(audience, p.targetConnectionId(), p.message(), renderer.apply(p.message()));
    } catch (RuntimeException e) {
      log.error("rendering {} of session {} failed", p.message().getClass().getSimpleName(), p.sessionId(), e);
      return;
    }
    if (audience == SessionFeed.Audience.DJ_ONLY) {
      if (!toFollowers || p.targetConnectionId() == null) return;
      for (FeedListener l : sessionFollowers) {
        if (p.targetConnectionId().equals(l.connectionId())) hand(l, rendered);
      }
      return;
    }
    if (toFollowers) {
      for (FeedListener l : sessionFollowers) hand(l, rendered);
    }
    if (toLobby) {
      for (FeedListener l : lobbyWatchers) {
        if (sessionFollowers == null || !sessionFollowers.contains(l)) hand(l, rendered);
      }
    }
  }

  private static void hand(FeedListener listener, RenderedMessage message) {
    try {
      listener.onMessage(message);
    } catch (RuntimeException e) {
      log.error("listener {} failed on {}", listener.connectionId(), message.message().getClass().getSimpleName(), e);
    }
  }
}
