package floorcast.net;

import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Sits between pekko-http's server layer and the route on every connection of an {@link NioHttpServer} and lets
 * a node shutdown end HTTP keep-alive connections gracefully, as pekko-http's own binding does: an idle connection
 * is closed at once, a request in flight still gets its response (with {@code Connection: close}) and then the
 * connection closes. A connection upgraded to a WebSocket is left alone: the gateway closes those itself (1012).
 *
 * <p>It also hands WebSocket upgrade requests the connection's {@link SocketWire} (request attribute
 * {@link SocketWire#ATTRIBUTE}), the direct write path of the upgraded connection.
 */
final class HttpExchangeGate extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {
  /** What the server calls on every open gate when it terminates (any thread). */
  interface Drain {
    void drain();
  }

  private static final int SWITCHING_PROTOCOLS = 101;

  private final Inlet<HttpRequest> requestIn = Inlet.create("Gate.requestIn");
  private final Outlet<HttpRequest> requestOut = Outlet.create("Gate.requestOut");
  private final Inlet<HttpResponse> responseIn = Inlet.create("Gate.responseIn");
  private final Outlet<HttpResponse> responseOut = Outlet.create("Gate.responseOut");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      BidiShape.of(requestIn, requestOut, responseIn, responseOut);
  private final Set<Drain> open;
  private final BooleanSupplier terminating;
  private final SocketWire wire;

  /**
   * {@code open}: the server's set of gates to drain at shutdown; the gate is in it while the connection is.
   * {@code terminating}: true once the server drains; a connection accepted just before that, whose stream starts
   * after the server went through {@code open}, drains itself at start.
   */
  HttpExchangeGate(Set<Drain> open, BooleanSupplier terminating, SocketWire wire) {
    this.open = open;
    this.terminating = terminating;
    this.wire = wire;
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  private final class Logic extends GraphStageLogic implements Drain {
    private final AsyncCallback<Done> draining = createAsyncCallback(d -> startDraining());
    private int inFlight;
    private boolean upgraded;
    private boolean drain;

    Logic() {
      super(shape);
      setHandler(requestIn, new AbstractInHandler() {
        @Override
        public void onPush() {
          inFlight++;
          HttpRequest request = grab(requestIn);
          boolean upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade).isPresent();
          push(requestOut, upgrade ? request.addAttribute(SocketWire.ATTRIBUTE, wire) : request);
        }
      });
      setHandler(requestOut, new AbstractOutHandler() {
        @Override
        public void onPull() {
          pull(requestIn);
        }
      });
      setHandler(responseIn, new AbstractInHandler() {
        @Override
        public void onPush() {
          HttpResponse response = grab(responseIn);
          inFlight--;
          if (response.status().intValue() == SWITCHING_PROTOCOLS) upgraded = true;
          if (drain && !upgraded) {
            push(responseOut, response.addHeader(Connection.create("close")));
            if (inFlight == 0) completeStage();
          } else {
            push(responseOut, response);
          }
        }
      });
      setHandler(responseOut, new AbstractOutHandler() {
        @Override
        public void onPull() {
          pull(responseIn);
        }
      });
    }

    @Override
    public void preStart() {
      open.add(this);
      if (terminating.getAsBoolean()) startDraining();
    }

    @Override
    public void postStop() {
      open.remove(this);
    }

    @Override
    public void drain() {
      draining.invoke(Done.getInstance());
    }

    private void startDraining() {
      if (upgraded || drain) return;
      drain = true;
      if (inFlight == 0) completeStage();
    }
  }
}
