package floorcast.live.protocol;

import com.typesafe.config.Config;
import floorcast.account.TokenAuthenticator;
import floorcast.live.ClientChannel;
import floorcast.live.ConnectionHandler;
import floorcast.live.ConnectionHandlerFactory;
import floorcast.live.LiveMetrics;
import floorcast.live.LiveSessions;
import floorcast.live.NodeFanout;
import floorcast.live.codec.InboundCodec;
import floorcast.live.codec.OutboundCodec;
import java.time.Clock;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * Creates the protocol handler of each upgraded /ws connection, wiring the node's shared services: codecs, the
 * sharded session entities, the dancer ingress, poll ids and read-side lookups (JDBC on Pekko's blocking-IO
 * dispatcher), token validation, the lobby directory and the node fan-out. The returned {@link Connection} is also
 * the connection's {@link floorcast.live.FeedListener}.
 */
public final class LiveConnectionFactory implements ConnectionHandlerFactory {
  private final ConnectionServices services;

  public LiveConnectionFactory(
      ActorSystem<?> system,
      Config config,
      DataSource dataSource,
      TokenAuthenticator tokens,
      NodeFanout fanout,
      LiveSessions liveSessions,
      DancerIngress dancers,
      LiveMetrics metrics) {
    ConnectionSettings settings = ConnectionSettings.from(config);
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.services =
        new ConnectionServices(
            new InboundCodec(),
            new OutboundCodec(),
            SessionEntities.sharded(system, settings.askTimeout()),
            dancers,
            new PollIds(dataSource, blocking),
            new ReadSideSessionIds(dataSource, blocking),
            tokens,
            liveSessions,
            new SessionsListCache(),
            fanout,
            settings,
            Clock.systemUTC(),
            system.executionContext(),
            metrics);
  }

  public LiveConnectionFactory(ConnectionServices services) {
    this.services = services;
  }

  /** The node's dancer ingress: one per node, shared by every connection. */
  public static DancerIngress dancerIngress(ActorSystem<?> system, Config config) {
    ConnectionSettings settings = ConnectionSettings.from(config);
    // 500 per batch keeps one event small; 10,000 waiting ≈ 2 s of a 5,000 likes/s session
    return new DancerIngress(SessionEntities.sharded(system, settings.askTimeout()), 500, 10_000);
  }

  @Override
  public ConnectionHandler create(ClientChannel channel) {
    return new Connection(channel, services);
  }

  public ConnectionServices services() {
    return services;
  }
}
