/**
 * TCP beneath pekko-http's server layer ({@code floorcast.http.transport = nio}, the default).
 *
 * <ul>
 *   <li>{@link floorcast.net.HttpListener}: the node's listener, over this transport or pekko-http's own binding.
 *   <li>{@link floorcast.net.NioHttpServer}: accepts, joins each connection's handler with {@code Http.serverLayer},
 *       max-connections, idle sweep, graceful terminate.
 *   <li>{@code SelectorLoop}: the one selector thread (accepts, reads, write readiness).
 *   <li>{@code SocketStage}: one connection as a stream stage; writes on its own stream thread.
 *   <li>{@code HttpExchangeGate}: ends keep-alive connections gracefully at shutdown.
 * </ul>
 */
package floorcast.net;
