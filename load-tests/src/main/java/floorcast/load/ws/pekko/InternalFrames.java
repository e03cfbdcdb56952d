package floorcast.load.ws.pekko;

import org.apache.pekko.NotUsed;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameEvent$;
import org.apache.pekko.http.impl.engine.ws.FrameEventOrError;
import org.apache.pekko.http.impl.engine.ws.Masking$;
import org.apache.pekko.http.impl.engine.ws.Protocol;
import org.apache.pekko.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import scala.Option;

/**
 * pekko-http's internal frame-level WebSocket API ({@code org.apache.pekko.http.impl.engine.ws}, pekko-http 1.3.0),
 * used exactly as Floorcast's floorcast.live.transport.FrameLevelUpgrade uses it (that class is package-private in
 * the server, hence this copy for the floor): the request's upgrade is an {@link UpgradeToWebSocketLowLevel} whose
 * {@code handleFrames} joins a frame flow straight onto the framing layer; client frames are unmasked with pekko's
 * own stage; outbound frames are {@code FrameEvent.fullFrame}s, built once and shareable by every connection.
 */
final class InternalFrames {
  private static final Protocol.Opcode TEXT = Protocol.Opcode$.MODULE$.forCode((byte) 0x1);
  private static final Protocol.Opcode PONG = Protocol.Opcode$.MODULE$.forCode((byte) 0xA);
  private static final Protocol.Opcode CLOSE = Protocol.Opcode$.MODULE$.forCode((byte) 0x8);

  private InternalFrames() {}

  static boolean isFrameLevel(WebSocketUpgrade upgrade) {
    return upgrade instanceof UpgradeToWebSocketLowLevel;
  }

  /** The 101 response running {@code connection} on the unmasked client frames. Only if {@link #isFrameLevel}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static HttpResponse accept(WebSocketUpgrade upgrade, Graph<FlowShape<FrameEventOrError, FrameEvent>, NotUsed> connection) {
    Flow<FrameEvent, FrameEvent, NotUsed> frames = Masking$.MODULE$.unmaskIf(true).asJava().via(connection);
    Graph<FlowShape<FrameEvent, FrameEvent>, Object> typed = (Graph) frames;
    return ((UpgradeToWebSocketLowLevel) upgrade).handleFrames(typed, Option.empty());
  }

  /** A complete, unfragmented text frame carrying {@code utf8}. */
  static FrameEvent text(ByteString utf8) {
    return FrameEvent$.MODULE$.fullFrame(TEXT, Option.empty(), utf8, true, false, false, false);
  }

  static FrameEvent pong(ByteString payload) {
    return FrameEvent$.MODULE$.fullFrame(PONG, Option.empty(), payload, true, false, false, false);
  }

  static FrameEvent close(int code, String reason) {
    return FrameEvent$.MODULE$.closeFrame(code, reason, Option.empty());
  }

  static FrameEvent emptyClose() {
    return FrameEvent$.MODULE$.fullFrame(CLOSE, Option.empty(), ByteString.emptyByteString(), true, false, false, false);
  }
}
