/**
 * The /ws protocol logic (protocol.md §1.2–§5), transport-independent: {@link floorcast.live.protocol.Connection}
 * holds one connection's state and turns decoded client messages into session-entity commands
 * ({@link floorcast.live.protocol.SessionEntities}; dancer actions batched per session and node by
 * {@link floorcast.live.protocol.DancerIngress}) and their replies into frames in the spec's order. Poll ids and the
 * read-side id lookup use JDBC off the actor threads. {@link floorcast.live.protocol.LiveConnectionFactory} wires it
 * for the transport.
 */
package floorcast.live.protocol;
