package floorcast.live.protocol;

import floorcast.account.TokenAuthenticator;
import floorcast.live.LiveMetrics;
import floorcast.live.LiveSessions;
import floorcast.live.NodeFanout;
import floorcast.live.codec.InboundCodec;
import floorcast.live.codec.OutboundCodec;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * Everything a {@link Connection} shares with the other connections of its node. {@code executor} runs follow-up
 * work triggered from fan-out callbacks (never blocking).
 */
public record ConnectionServices(
    InboundCodec inbound,
    OutboundCodec outbound,
    SessionEntities entities,
    DancerIngress dancers,
    PollIds pollIds,
    ReadSideSessionIds readSide,
    TokenAuthenticator tokens,
    LiveSessions liveSessions,
    SessionsListCache sessionsList,
    NodeFanout fanout,
    ConnectionSettings settings,
    Clock clock,
    Executor executor,
    LiveMetrics metrics) {

  /** The same services with other session entities behind them (the broadcast-path warm-up's stand-in session). */
  public ConnectionServices withSessions(SessionEntities entities, DancerIngress dancers) {
    return new ConnectionServices(
        inbound, outbound, entities, dancers, pollIds, readSide, tokens, liveSessions, sessionsList, fanout, settings,
        clock, executor, metrics);
  }
}
