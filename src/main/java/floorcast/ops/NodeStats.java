package floorcast.ops;

import java.util.Map;

/**
 * What the gateway knows about its own connections, for the debug view: the number of open WebSocket connections
 * on this node and how many of them watch each session. Supplied through {@link NodeStatsRegistry}.
 */
public record NodeStats(int connections, Map<String, Integer> connectionsBySession) {
  public NodeStats {
    if (connections < 0) throw new IllegalArgumentException("connections must be >= 0");
    connectionsBySession = Map.copyOf(connectionsBySession);
  }
}
