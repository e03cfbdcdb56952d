package floorcast.live;

/**
 * Node-local fan-out: every session update crosses the cluster once per node (cluster pub/sub), is rendered once,
 * and is handed to each local listener that follows the session. Lobby events also go to lobby watchers.
 */
public interface NodeFanout {
  /** Start receiving a session's messages (as subscriber or DJ connection). Idempotent per listener. */
  void follow(String sessionId, FeedListener listener);

  void unfollow(String sessionId, FeedListener listener);

  /** Receive every SESSION_STARTED / SESSION_ENDED of the cluster while following no session. */
  void watchLobby(FeedListener listener);

  void unwatchLobby(FeedListener listener);
}
