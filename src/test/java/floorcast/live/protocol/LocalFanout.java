package floorcast.live.protocol;

import floorcast.live.FeedListener;
import floorcast.live.NodeFanout;
import floorcast.live.RenderedMessage;
import floorcast.live.codec.OutboundCodec;
import floorcast.session.SessionFeed;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A single-node fan-out for protocol tests (the transport's NodeFanout adds cluster pub/sub and queues): renders a
 * published message once and hands it to the listeners following the session, lobby events also to lobby watchers.
 */
final class LocalFanout implements NodeFanout {
  private final OutboundCodec codec = new OutboundCodec();
  final Map<String, Set<FeedListener>> followers = new ConcurrentHashMap<>();
  final Set<FeedListener> lobby = ConcurrentHashMap.newKeySet();

  @Override
  public void follow(String sessionId, FeedListener listener) {
    followers.computeIfAbsent(sessionId, id -> ConcurrentHashMap.newKeySet()).add(listener);
  }

  @Override
  public void unfollow(String sessionId, FeedListener listener) {
    Set<FeedListener> set = followers.get(sessionId);
    if (set != null) set.remove(listener);
  }

  @Override
  public void watchLobby(FeedListener listener) {
    lobby.add(listener);
  }

  @Override
  public void unwatchLobby(FeedListener listener) {
    lobby.remove(listener);
  }

  boolean follows(String sessionId, FeedListener listener) {
    return followers.getOrDefault(sessionId, Set.of()).contains(listener);
  }

  void publish(SessionFeed.Published published) {
    RenderedMessage rendered =
        new RenderedMessage(
            published.audience(), published.targetConnectionId(), published.message(), codec.render(published.message()));
    Set<FeedListener> targets = ConcurrentHashMap.newKeySet();
    targets.addAll(followers.getOrDefault(published.sessionId(), Set.of()));
    if (published.audience() == SessionFeed.Audience.LOBBY) targets.addAll(lobby);
    for (FeedListener listener : List.copyOf(targets)) listener.onMessage(rendered);
  }

  /**
   * Messages of one session published together (as the node fan-out hands a {@link SessionFeed.Batch} out): to each
   * follower at once unless one is a lobby event, else one by one.
   */
  void publishTogether(List<SessionFeed.Published> published) {
    if (published.stream().anyMatch(p -> p.audience() == SessionFeed.Audience.LOBBY)) {
      published.forEach(this::publish);
      return;
    }
    List<RenderedMessage> rendered =
        published.stream()
            .map(p -> new RenderedMessage(p.audience(), p.targetConnectionId(), p.message(), codec.render(p.message())))
            .toList();
    Set<FeedListener> targets = followers.getOrDefault(published.get(0).sessionId(), Set.of());
    for (FeedListener listener : List.copyOf(targets)) listener.onMessages(rendered);
  }
}
