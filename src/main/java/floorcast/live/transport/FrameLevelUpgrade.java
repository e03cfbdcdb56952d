package floorcast.live.transport;

import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.impl.engine.ws.FrameData;
import org.apache.pekko.http.impl.engine.ws.FrameError;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameEvent$;
import org.apache.pekko.http.impl.engine.ws.FrameEventOrError;
import org.apache.pekko.http.impl.engine.ws.FrameHeader;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.http.impl.engine.ws.Masking$;
import org.apache.pekko.http.impl.engine.ws.Protocol;
import org.apache.pekko.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.javadsl.Flow;
import scala.Option;

/**
 * The ONLY class that touches pekko-http's internal WebSocket frame API ({@code org.apache.pekko.http.impl.engine.ws},
 * pinned to pekko-http <b>1.3.0</b>; re-check every line of this file on any pekko-http upgrade).
 *
 * <p>Why: the public message API can only close with 1000 or 1011 (stack.md W6), but protocol.md §17 requires exact
 * codes (1001, 1008, 1009, 1012, 1013, 4410) and the Pika! desktop treats 1000 as "set ended". In 1.3.0 the request's
 * {@code webSocketUpgrade} attribute is an {@link UpgradeToWebSocketLowLevel} whose {@code handleFrames} joins a
 * {@code Flow<FrameEvent, FrameEvent>} directly onto the framing layer (parser/renderer), bypassing masking, control
 * frame handling, message assembly and keep-alive — the caller does all of that ({@link ConnectionStage}). Masking
 * is re-added here with pekko's own server-side unmasking stage (it also rejects unmasked client frames).
 *
 * <p>Outbound frames are {@link ServerFrame}s (shared by every connection of the node when rendered once, see
 * {@link TextFrameCache}); on this path each becomes a frame event ({@link #frameEvent}) for pekko-http's renderer.
 */
final class FrameLevelUpgrade {
  private FrameLevelUpgrade() {}

  /** The request carries a valid WebSocket handshake that pekko-http can upgrade at frame level. */
  static boolean isUpgrade(HttpRequest request) {
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    return upgrade.isPresent() && upgrade.get() instanceof UpgradeToWebSocketLowLevel;
  }

  /**
   * The 101 response that runs {@code handler} on the upgraded connection. Its outlet must emit only objects made by
   * this class's factory methods. Call only when {@link #isUpgrade} holds.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static HttpResponse accept(HttpRequest request, Graph<FlowShape<InboundFrame, Object>, NotUsed> handler) {
    UpgradeToWebSocketLowLevel upgrade =
        (UpgradeToWebSocketLowLevel) request.getAttribute(AttributeKeys.webSocketUpgrade).orElseThrow();
    Flow<FrameEvent, Object, NotUsed> frames =
        Masking$.MODULE$.unmaskIf(true).asJava().map(FrameLevelUpgrade::toInbound).via(handler);
    // The handler emits FrameEvents only (built below), typed Object to keep internal types out of it.
    Graph<FlowShape<FrameEvent, FrameEvent>, Object> typed = (Graph) frames;
    return upgrade.handleFrames(typed, Option.empty());
  }

  private static InboundFrame toInbound(FrameEventOrError event) {
    if (event instanceof FrameStart start) {
      FrameHeader h = start.header();
      return new InboundFrame(
          true,
          h.opcode().code() & 0xF,
          h.fin(),
          h.rsv1() || h.rsv2() || h.rsv3(),
          h.length(),
          start.data(),
          start.lastPart(),
          null);
    }
    if (event instanceof FrameData data) {
      return new InboundFrame(false, -1, false, false, 0, data.data(), data.lastPart(), null);
    }
    if (event instanceof FrameError error) {
      return InboundFrame.error(String.valueOf(error.p().getMessage()));
    }
    return InboundFrame.error("unexpected frame event");
  }

  /**
   * The frame event pekko-http's renderer turns into exactly {@code frame}'s bytes (the outbound path over pekko's
   * TCP transport; over Floorcast's the connection writes the bytes itself).
   */
  static Object frameEvent(ServerFrame frame) {
    return FrameEvent$.MODULE$.fullFrame(opcode(frame.opcode()), Option.empty(), frame.payload(), true, false, false, false);
  }

  private static Protocol.Opcode opcode(int code) {
    return Protocol.Opcode$.MODULE$.forCode((byte) code);
  }
}
