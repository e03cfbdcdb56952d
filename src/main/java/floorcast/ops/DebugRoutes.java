package floorcast.ops;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import floorcast.wire.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code GET /debug/node} on the management port: this node's member status, connections (from the gateway's
 * {@link NodeStats}) and the sessions it hosts per shard. Off unless {@code floorcast.ops.debug.enabled}; when on
 * it requires {@code Authorization: Bearer <floorcast.ops.debug.token>} and refuses to serve with an empty token
 * (reliability.md §12: one production app left its debug view open).
 */
public final class DebugRoutes implements ManagementRouteProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExtendedActorSystem system;
  private final boolean enabled;
  private final byte[] token;

  public DebugRoutes(ExtendedActorSystem system) {
    this.system = system;
    Config c = system.settings().config().getConfig("floorcast.ops.debug");
    this.enabled = c.getBoolean("enabled");
    this.token = c.getString("token").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return path(
        segment("debug").slash("node"),
        () -> get(() -> extractRequest(request -> guarded(request))));
  }

  private Route guarded(HttpRequest request) {
    if (!enabled) return complete(json(403, "{\"error\":\"Debug view disabled\"}"));
    if (token.length == 0) return complete(json(403, "{\"error\":\"Debug token not configured\"}"));
    if (!authorized(request)) {
      return complete(
          json(401, "{\"error\":\"Unauthorized\"}")
              .addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"floorcast-debug\"")));
    }
    return onSuccess(LocalShards.query(system), shards -> complete(json(200, render(shards))));
  }

  private boolean authorized(HttpRequest request) {
    Optional<String> header = request.getHeader("Authorization").map(h -> h.value().trim());
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) return false;
    byte[] presented = header.get().substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(presented, token); // constant time
  }

  private String render(Map<String, Map<String, Set<String>>> shards) {
    Cluster cluster = Cluster.get(system);
    Member self = cluster.selfMember();
    ObjectNode root = JSON.createObjectNode();
    root.put("timestamp", Timestamps.format(Instant.now()));
    root.put("node", self.address().toString());
    root.put("appVersion", self.appVersion().toString());
    root.put("status", self.status().toString());
    root.put("unreachable", cluster.state().getUnreachable().size());
    ObjectNode connections = root.putObject("connections");
    Optional<NodeStats> stats = NodeStatsRegistry.get(system).current();
    connections.put("available", stats.isPresent());
    stats.ifPresent(
        s -> {
          connections.put("total", s.connections());
          ObjectNode bySession = connections.putObject("bySession");
          s.connectionsBySession().entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .forEach(e -> bySession.put(e.getKey(), e.getValue()));
        });
    ObjectNode sharding = root.putObject("sharding");
    shards.forEach(
        (typeName, perShard) -> {
          ObjectNode type = sharding.putObject(typeName);
          type.put("shardCount", perShard.size());
          type.put("entityCount", perShard.values().stream().mapToInt(Set::size).sum());
          ObjectNode byShard = type.putObject("shards");
          perShard.forEach(
              (shardId, ids) -> {
                ArrayNode entities = byShard.putArray(shardId);
                ids.forEach(entities::add);
              });
        });
    return root.toString();
  }

  private static HttpResponse json(int status, String body) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }
}
