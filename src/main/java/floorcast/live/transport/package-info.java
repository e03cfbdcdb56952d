/**
 * The live gateway's WebSocket transport and node fan-out (protocol.md §1.1, §1.2, §1.4, §14.2, §16, §17).
 *
 * <ul>
 *   <li>{@link floorcast.live.transport.LiveGateway} assembles everything for one node and offers {@code route()}.
 *   <li>{@link floorcast.live.transport.WebSocketRoute}: {@code GET /ws}, per-IP upgrade limit, client IP.
 *   <li>{@code FrameLevelUpgrade}: the gateway's only use of pekko-http 1.3.0 internals, for exact close codes (the
 *       other is the remote-address attribute in {@link floorcast.net.NioHttpServer}).
 *   <li>{@code ConnectionStage}: one stream stage per connection (frames in, frames out, timers).
 *   <li>{@code OutboundQueue}: bytes-bounded queue with superseding and the 1013 rule.
 *   <li>{@link floorcast.live.transport.ClusterSessionPublisher} / {@link floorcast.live.transport.ClusterNodeFanout}:
 *       hashed cluster pub/sub topics, rendered once per node.
 *   <li>{@link floorcast.live.transport.LiveSessionDirectory}: every live session of the cluster, per node.
 * </ul>
 */
package floorcast.live.transport;
