package floorcast.live.transport;

import floorcast.live.FeedListener;
import floorcast.live.LiveMetrics;
import floorcast.live.MessageRenderer;
import floorcast.live.NodeFanout;
import floorcast.live.RenderedMessage;
import floorcast.session.SessionFeed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's fan-out (protocol.md §1.4): a session's feed arrives once per node from its topic, is rendered to JSON
 * once ({@code renderer}, the gateway codec), and is handed to every local listener following the session; LOBBY
 * messages also reach lobby watchers (each listener once), DJ_ONLY only the target connection. Listeners must not
 * block (they queue into their connection's outbound queue).
 *
 * <p>Who hands it out depends on the session's local audience. A session with at most {@code inlineFollowers}
 * followers on this node is handed out right here, on its topic's feed actor: the node's 64 topics keep many small
 * sessions going at once, and a broadcast to 5,000 dancers cannot hold them up. Once a session has had more
 * followers than that, its messages go to the node's {@link FanoutLanes} for the rest of its life on the node: each
 * lane hands the message to its share of the listeners (a listener is always on the same lane), all lanes at once,
 * so the last of thousands of dancers does not wait for all the others' writes. The switch is one way and happens
 * between two messages of the feed actor, so what one connection receives keeps its order.
 *
 * <p>Metrics, once per delivery and never per connection: the outbound count of the message's type grows by the
 * number of listeners it was handed to, and the fan-out latency is recorded from the entity's publish stamp to the
 * end of the hand-off to the last listener (on the last lane, for a laned session; the entity's and this node's wall
 * clocks: on different hosts their offset is part of the figure).
 */
public final class ClusterNodeFanout implements NodeFanout {
  private static final Logger log = LoggerFactory.getLogger(ClusterNodeFanout.class);

  private final MessageRenderer renderer;
  private final LiveMetrics metrics;
  private final FanoutLanes lanes;
  private final int inlineFollowers;
  private final ConcurrentHashMap<String, Listeners> followers = new ConcurrentHashMap<>();
  private final Listeners lobbyWatchers;

  /** {@code inlineFollowers}: the most local followers a session is handed out to on its topic's thread. */
  ClusterNodeFanout(MessageRenderer renderer, LiveMetrics metrics, FanoutLanes lanes, int inlineFollowers) {
    this.renderer = renderer;
    this.metrics = metrics;
    this.lanes = lanes;
    this.inlineFollowers = inlineFollowers;
    this.lobbyWatchers = new Listeners(lanes.count());
  }

  @Override
  public void follow(String sessionId, FeedListener listener) {
    int lane = lanes.laneOf(listener.connectionId());
    followers.compute(
        sessionId,
        (id, set) -> {
          Listeners s = set == null ? new Listeners(lanes.count()) : set;
          s.byLane[lane].add(listener);
          if (!s.laned && s.size() > inlineFollowers) s.laned = true; // for good: see the class comment
          return s;
        });
  }

  @Override
  public void unfollow(String sessionId, FeedListener listener) {
    int lane = lanes.laneOf(listener.connectionId());
    followers.computeIfPresent(
        sessionId,
        (id, set) -> {
          set.byLane[lane].remove(listener);
          return set.isEmpty() ? null : set;
        });
  }

  @Override
  public void watchLobby(FeedListener listener) {
    lobbyWatchers.byLane[lanes.laneOf(listener.connectionId())].add(listener);
  }

  @Override
  public void unwatchLobby(FeedListener listener) {
    lobbyWatchers.byLane[lanes.laneOf(listener.connectionId())].remove(listener);
  }

  /** Local listeners following this session (for gauges and tests). */
  public int followerCount(String sessionId) {
    Listeners s = followers.get(sessionId);
    return s == null ? 0 : s.size();
  }

  /** One feed from the session's topic; runs on that topic's feed actor (who hands it out: the class comment). */
  void deliver(SessionFeed feed) {
    Listeners sessionFollowers = followers.get(feed.sessionId());
    if (feed instanceof SessionFeed.Published p) {
      deliverPublished(p, sessionFollowers);
    } else if (feed instanceof SessionFeed.Batch b) {
      deliverBatch(b, sessionFollowers);
    } else if (feed instanceof SessionFeed.Recovered r) {
      if (sessionFollowers == null) return;
      for (int lane = 0; lane < lanes.count(); lane++) {
        Set<FeedListener> share = sessionFollowers.byLane[lane];
        if (share.isEmpty()) continue;
        Runnable task = () -> {
          for (FeedListener l : share) {
            try {
              l.onRecovered(r);
            } catch (RuntimeException e) {
              log.error("listener {} failed on Recovered", l.connectionId(), e);
            }
          }
        };
        handOut(sessionFollowers, lane, task);
      }
    } else if (feed instanceof SessionFeed.DjRoleRevoked revoked) {
      if (sessionFollowers == null) return;
      int lane = lanes.laneOf(revoked.connectionId());
      Set<FeedListener> share = sessionFollowers.byLane[lane];
      Runnable task = () -> {
        for (FeedListener l : share) {
          if (!l.connectionId().equals(revoked.connectionId())) continue;
          try {
            l.onDjRoleRevoked(revoked);
          } catch (RuntimeException e) {
            log.error("listener {} failed on DjRoleRevoked", l.connectionId(), e);
          }
        }
      };
      handOut(sessionFollowers, lane, task);
    }
  }

  private void deliverPublished(SessionFeed.Published p, Listeners sessionFollowers) {
    SessionFeed.Audience audience = p.audience() == null ? SessionFeed.Audience.SESSION : p.audience();
    boolean toLobby = audience == SessionFeed.Audience.LOBBY && !lobbyWatchers.isEmpty();
    boolean toFollowers = sessionFollowers != null && !sessionFollowers.isEmpty();
    if (!toLobby && !toFollowers) return;
    RenderedMessage rendered = render(p);
    if (rendered == null) return;
    boolean inline = toFollowers && !sessionFollowers.laned;
    if (audience == SessionFeed.Audience.DJ_ONLY) {
      String target = p.targetConnectionId();
      if (!toFollowers || target == null) return;
      int lane = lanes.laneOf(target);
      Set<FeedListener> share = sessionFollowers.byLane[lane];
      Handout handout = new Handout(1, 0, p.publishedAtMillis());
      Runnable task = () -> {
        int handed = 0;
        for (FeedListener l : share) {
          if (target.equals(l.connectionId()) && hand(l, rendered)) handed++;
        }
        handout.laneDone(handed);
      };
      handOut(sessionFollowers, lane, task);
      return;
    }
    int handedHere = 0;
    if (inline) {
      for (Set<FeedListener> share : sessionFollowers.byLane) {
        for (FeedListener l : share) {
          if (hand(l, rendered)) handedHere++;
        }
      }
      if (!toLobby) {
        new Handout(1, handedHere, p.publishedAtMillis()).laneDone(0);
        return;
      }
    }
    // the lanes: the followers of a laned session, lobby watchers (those not following were not handed it yet)
    Handout handout = new Handout(lanes.count(), handedHere, p.publishedAtMillis());
    for (int lane = 0; lane < lanes.count(); lane++) {
      Set<FeedListener> share = toFollowers ? sessionFollowers.byLane[lane] : null;
      boolean handToShare = share != null && !inline;
      Set<FeedListener> watchers = toLobby ? lobbyWatchers.byLane[lane] : null;
      lanes.execute(lane, () -> {
        int handed = 0;
        if (handToShare) {
          for (FeedListener l : share) {
            if (hand(l, rendered)) handed++;
          }
        }
        if (watchers != null) {
          for (FeedListener l : watchers) {
            if ((share == null || !share.contains(l)) && hand(l, rendered)) handed++;
          }
        }
        handout.laneDone(handed);
      });
    }
  }

  /**
   * Messages published together: when none of them is a lobby event (the usual case: TEMPO_RESET and NOW_PLAYING of
   * a track change, perhaps after a flushed like count or the DJ's tempo feedback), each follower is handed all of
   * them at once, so a connection writes them with one socket write (a DJ-only message among them is skipped by
   * every connection but its target, which keeps it in seq order with the rest); otherwise they are handed out one by
   * one, as if published separately.
   */
  private void deliverBatch(SessionFeed.Batch batch, Listeners sessionFollowers) {
    boolean followersOnly = true;
    for (SessionFeed.Published p : batch.items()) {
      if (p.audience() == SessionFeed.Audience.LOBBY) followersOnly = false;
    }
    if (!followersOnly) {
      for (SessionFeed.Published p : batch.items()) deliverPublished(p, sessionFollowers);
      return;
    }
    if (sessionFollowers == null || sessionFollowers.isEmpty()) return;
    List<RenderedMessage> rendered = new ArrayList<>(batch.items().size());
    long publishedAt = 0;
    for (SessionFeed.Published p : batch.items()) {
      RenderedMessage r = render(p);
      if (r == null) continue;
      rendered.add(r);
      publishedAt = p.publishedAtMillis();
    }
    if (rendered.isEmpty()) return;
    List<RenderedMessage> messages = List.copyOf(rendered);
    Handout handout = new Handout(lanes.count(), 0, publishedAt, messages.size());
    for (int lane = 0; lane < lanes.count(); lane++) {
      Set<FeedListener> share = sessionFollowers.byLane[lane];
      handOut(sessionFollowers, lane, () -> {
        int handed = 0;
        for (FeedListener l : share) handed += handAll(l, messages);
        handout.laneDone(handed);
      });
    }
  }

  /** The message rendered once for this node, or null (logged) when rendering failed. */
  private RenderedMessage render(SessionFeed.Published p) {
    SessionFeed.Audience audience = p.audience() == null ? SessionFeed.Audience.SESSION : p.audience();
    try {
      return new RenderedMessage(audience, p.targetConnectionId(), p.message(), renderer.render(p.message()));
    } catch (RuntimeException e) {
      log.error("rendering {} of session {} failed", p.message().getClass().getSimpleName(), p.sessionId(), e);
      return null;
    }
  }

  /** Runs {@code task} (one lane's share of a session's listeners) here, or on that lane once the session is laned. */
  private void handOut(Listeners sessionFollowers, int lane, Runnable task) {
    if (sessionFollowers.laned) lanes.execute(lane, task);
    else task.run();
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

  /** How many of {@code messages} the listener took (0 when it failed). */
  private static int handAll(FeedListener listener, List<RenderedMessage> messages) {
    try {
      return listener.onMessages(messages);
    } catch (RuntimeException e) {
      log.error("listener {} failed on a batch of {}", listener.connectionId(), messages.size(), e);
      return 0;
    }
  }

  /** A set of listeners split by lane (a listener is in the set of its own lane). */
  private static final class Listeners {
    final Set<FeedListener>[] byLane;
    /** Handed out on the lanes (set once, never cleared: a session's feed never goes back to its topic's thread). */
    volatile boolean laned;

    @SuppressWarnings("unchecked")
    Listeners(int lanes) {
      byLane = new Set[lanes];
      for (int i = 0; i < lanes; i++) byLane[i] = ConcurrentHashMap.newKeySet();
    }

    boolean isEmpty() {
      for (Set<FeedListener> s : byLane) if (!s.isEmpty()) return false;
      return true;
    }

    int size() {
      int n = 0;
      for (Set<FeedListener> s : byLane) n += s.size();
      return n;
    }
  }

  /**
   * One message handed out on several lanes (or here, counting as one): the fan-out latency is recorded when the
   * last lane is done.
   */
  private final class Handout {
    private final AtomicInteger lanesLeft;
    private final AtomicInteger handed;
    private final long publishedAtMillis;
    private final int messages;

    Handout(int lanes, int handedAlready, long publishedAtMillis) {
      this(lanes, handedAlready, publishedAtMillis, 1);
    }

    /** {@code messages}: how many messages were handed out together (the latency is recorded once for each). */
    Handout(int lanes, int handedAlready, long publishedAtMillis, int messages) {
      this.lanesLeft = new AtomicInteger(lanes);
      this.handed = new AtomicInteger(handedAlready);
      this.publishedAtMillis = publishedAtMillis;
      this.messages = messages;
    }

    void laneDone(int handedOnLane) {
      if (handedOnLane > 0) handed.addAndGet(handedOnLane);
      if (lanesLeft.decrementAndGet() > 0) return;
      // messages out are counted by each connection when it really writes the frame (held copies may be dropped)
      if (handed.get() > 0 && publishedAtMillis > 0) {
        Duration latency = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - publishedAtMillis));
        for (int i = 0; i < messages; i++) metrics.fanoutLatency(latency);
      }
    }
  }
}
