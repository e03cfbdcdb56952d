package floorcast.dj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The DJ's WebSocket to the server (clients.md §5): connects, sends {@code REGISTER_SESSION} on every open and waits
 * for {@code SESSION_REGISTERED} before handing the connection to the {@link ReliableSender}; routes ACK/NACK to the
 * sender and everything else (after the seq rule) to the feedback; {@code PING} every 30 s. Close 1000 or 4410 ends
 * the set; any other close or failure reconnects with exponential backoff (1–30 s, jitter, unlimited).
 * {@code Session owned by another DJ} stops the client with an error. Loop thread only, except the public methods.
 */
public final class DjLink {
  public static final String VERSION = "0.3.0";
  static final String SET_ENDED_CONFIRMED = "set ended";
  static final long PING_INTERVAL_MS = 30_000;
  static final long SILENCE_LIMIT_MS = 95_000;

  /** How the link finished. */
  public enum EndKind {
    /** The DJ ended the set ({@code END_SESSION} sent). */
    SET_ENDED,
    /** The server says the session is over (close 1000/4410, expiry). */
    SESSION_OVER,
    /** Registration refused for good (e.g. {@code Session owned by another DJ}). */
    REJECTED,
    /** The DJ left without ending the set ({@code quit}); the server keeps it for its grace period. */
    LEFT
  }

  public record End(EndKind kind, String detail) {}

  /** What {@code REGISTER_SESSION} carries. */
  public record Registration(String sessionId, String djName, String token, String clientId) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI wsUri;
  private final Registration registration;
  private final ScheduledExecutorService loop;
  private final ReliableSender sender;
  private final Consumer<JsonNode> feedback;
  private final DjOutput out;
  private final ReconnectBackoff backoff;
  private final LongSupplier clock;
  private final SeqFilter seqFilter = new SeqFilter();
  private final CompletableFuture<End> ended = new CompletableFuture<>();

  private WebSocket ws;
  private CompletableFuture<WebSocket> sendChain = CompletableFuture.completedFuture(null);
  private int generation;
  private String registerMessageId;
  private volatile boolean registered;
  /** endSet() is running: the SESSION_ENDED that follows its ACK is the confirmation, not a server-side end */
  private volatile boolean endingSet;
  private boolean stopping;
  private long lastInboundAt;
  private ScheduledFuture<?> pinger;
  private ScheduledFuture<?> reconnectTimer;

  public DjLink(
      HttpClient http,
      URI wsUri,
      Registration registration,
      ScheduledExecutorService loop,
      ReliableSender sender,
      Consumer<JsonNode> feedback,
      DjOutput out,
      ReconnectBackoff backoff,
      LongSupplier clock) {
    this.http = http;
    this.wsUri = wsUri;
    this.registration = registration;
    this.loop = loop;
    this.sender = sender;
    this.feedback = feedback;
    this.out = out;
    this.backoff = backoff;
    this.clock = clock;
  }

  public void start() {
    loop.execute(this::connect);
  }

  /** Completes when the link is finished for good. */
  public CompletableFuture<End> ended() {
    return ended;
  }

  public boolean isRegistered() {
    return registered;
  }

  /**
   * Ends the set (clients.md §5 "End"): {@code END_SESSION} through the reliable sender, up to {@code ackWait} for its
   * ACK, then close with 1000. Without an ACK the command is withdrawn from the spool (the server will end the set
   * after its grace period, and a later {@code --resume} must not end it). Call from any thread but the loop.
   */
  public boolean endSet(Duration ackWait) {
    endingSet = true;
    ObjectNode end = JSON.createObjectNode();
    end.put("type", "END_SESSION");
    end.put("sessionId", registration.sessionId());
    end.put("version", VERSION);
    String id = sender.submit(end);
    boolean acked;
    try {
      acked = sender.outcome(id).get(ackWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      acked = false;
    }
    if (!acked) sender.withdraw(id);
    CompletableFuture<Void> closed = new CompletableFuture<>();
    loop.execute(
        () -> {
          stopping = true;
          cancelTimers();
          WebSocket w = ws;
          if (w == null) {
            closed.complete(null);
            return;
          }
          sendChain
              .handle((x, e) -> w)
              .thenCompose(x -> w.sendClose(WebSocket.NORMAL_CLOSURE, "Set ended"))
              .whenComplete((x, e) -> closed.complete(null));
        });
    try {
      closed.get(2, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing anyway
    }
    ended.complete(new End(EndKind.SET_ENDED, acked ? SET_ENDED_CONFIRMED : "END_SESSION not acknowledged"));
    return acked;
  }

  /** Drops the connection without ending the set (the server keeps it for its grace period). */
  public void abandon() {
    loop.execute(
        () -> {
          stopping = true;
          cancelTimers();
          if (ws != null) ws.abort();
          ws = null;
          registered = false;
          sender.disconnected();
          ended.complete(new End(EndKind.LEFT, "left without ending the set"));
        });
  }

  private void connect() {
    if (stopping) return;
    int gen = ++generation;
    http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(wsUri, new Listener(gen))
        .whenComplete(
            (w, err) ->
                loop.execute(
                    () -> {
                      if (gen != generation || stopping) {
                        if (w != null) w.abort();
                        return;
                      }
                      if (err != null) {
                        reconnectLater("cannot connect to " + wsUri + " (" + rootMessage(err) + ")");
                      } else {
                        opened(w);
                      }
                    }));
  }

  private void opened(WebSocket w) {
    ws = w;
    sendChain = CompletableFuture.completedFuture(w);
    lastInboundAt = clock.getAsLong();
    registerMessageId = WireIds.messageId(clock.getAsLong());
    ObjectNode reg = JSON.createObjectNode();
    reg.put("type", "REGISTER_SESSION");
    reg.put("sessionId", registration.sessionId());
    reg.put("djName", registration.djName());
    if (!registration.token().isEmpty()) reg.put("token", registration.token());
    reg.put("clientId", registration.clientId());
    reg.put("version", VERSION);
    reg.put("messageId", registerMessageId);
    send(reg.toString());
    int gen = generation;
    pinger = loop.scheduleAtFixedRate(() -> heartbeat(gen), PING_INTERVAL_MS, PING_INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  private void heartbeat(int gen) {
    if (gen != generation || ws == null) return;
    if (clock.getAsLong() - lastInboundAt > SILENCE_LIMIT_MS) {
      WebSocket w = ws;
      w.abort();
      closed(gen, 1006, "no answer from the server");
      return;
    }
    send("{\"type\":\"PING\"}");
  }

  /** Sends one frame; java.net.http allows one outstanding send, so sends are chained. */
  private void send(String text) {
    WebSocket w = ws;
    if (w == null) return;
    sendChain = sendChain.handle((x, e) -> w).thenCompose(x -> w.sendText(text, true));
  }

  private void inbound(String text) {
    lastInboundAt = clock.getAsLong();
    JsonNode m;
    try {
      m = JSON.readTree(text);
    } catch (Exception e) {
      out.warn("unreadable message from the server ignored");
      return;
    }
    String type = m.path("type").asText();
    String messageId = m.path("messageId").asText("");
    switch (type) {
      case "ACK" -> {
        if (!messageId.equals(registerMessageId)) sender.acknowledged(messageId);
      }
      case "NACK" -> {
        String error = m.path("error").asText("");
        if (messageId.equals(registerMessageId)) registrationRefused(error);
        else sender.refused(messageId, error);
      }
      case "ERROR" -> out.warn("server: " + m.path("message").asText());
      case "PONG" -> {
        // liveness only
      }
      default -> {
        if (!seqFilter.accept(m)) return;
        boolean ours = registration.sessionId().equals(m.path("sessionId").asText());
        if ("SESSION_REGISTERED".equals(type) && ours) {
          registered = true;
          backoff.reset();
          feedback.accept(m);
          sender.connected(this::send);
          return;
        }
        feedback.accept(m);
        if ("SESSION_ENDED".equals(type) && ours && !endingSet) finish(EndKind.SESSION_OVER, "the server ended the session");
      }
    }
  }

  private void registrationRefused(String error) {
    switch (error) {
      case "Session has ended" -> finish(EndKind.SESSION_OVER, "session " + registration.sessionId() + " has ended");
      case ReliableSender.INTERNAL_ERROR -> {
        WebSocket w = ws;
        if (w != null) w.abort();
        closed(generation, 1011, error);
      }
      default -> finish(EndKind.REJECTED, error);
    }
  }

  private void closed(int gen, int code, String reason) {
    if (gen != generation) return;
    generation++; // late callbacks of this connection are ignored from now on
    ws = null;
    registered = false;
    cancelTimers();
    sender.disconnected();
    if (stopping) return;
    if (code == WebSocket.NORMAL_CLOSURE || code == 4410) {
      finish(EndKind.SESSION_OVER, "server closed the connection (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
    } else {
      reconnectLater("connection lost (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
    }
  }

  private void reconnectLater(String why) {
    long delay = backoff.nextDelayMillis();
    out.warn(why + "; reconnecting in " + (delay + 500) / 1000 + " s");
    reconnectTimer = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private void finish(EndKind kind, String detail) {
    stopping = true;
    cancelTimers();
    WebSocket w = ws;
    ws = null;
    registered = false;
    sender.disconnected();
    if (w != null) w.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((x, e) -> w.abort());
    ended.complete(new End(kind, detail));
  }

  private void cancelTimers() {
    if (pinger != null) pinger.cancel(false);
    if (reconnectTimer != null) reconnectTimer.cancel(false);
    pinger = null;
    reconnectTimer = null;
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private final class Listener implements WebSocket.Listener {
    private final int gen;
    private final StringBuilder partial = new StringBuilder();

    Listener(int gen) {
      this.gen = gen;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        loop.execute(
            () -> {
              if (gen == generation) inbound(text);
            });
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      loop.execute(() -> closed(gen, statusCode, reason == null ? "" : reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      loop.execute(() -> closed(gen, 1006, rootMessage(error)));
    }
  }
}
