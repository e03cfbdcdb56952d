package floorcast.dj;

import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.handleWebSocketMessages;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Test fixture for the DJ client: a real WebSocket server (Pekko HTTP {@code handleWebSocketMessages}) on a free port
 * that answers each frame as a script says, and records every frame it received and sent with the time.
 */
final class ScriptedDjServer implements AutoCloseable {
  /** Decides the answer to one received frame. */
  interface Script {
    void onFrame(Connection connection, JsonNode frame);
  }

  record Frame(int connection, long atMillis, JsonNode json) {
    String type() {
      return json.path("type").asText();
    }

    String messageId() {
      return json.path("messageId").asText("");
    }
  }

  final class Connection {
    final int index;
    private final BoundedSourceQueue<Message> out;

    Connection(int index, BoundedSourceQueue<Message> out) {
      this.index = index;
      this.out = out;
    }

    void send(String json) {
      try {
        sent.add(new Frame(index, System.currentTimeMillis(), JSON.readTree(json)));
      } catch (Exception e) {
        throw new IllegalArgumentException(e);
      }
      out.offer(TextMessage.create(json));
    }

    void ack(JsonNode frame) {
      send("{\"type\":\"ACK\",\"messageId\":\"" + frame.path("messageId").asText() + "\",\"status\":\"ok\",\"timestamp\":\"2026-01-15T21:04:05.127Z\"}");
    }

    void nack(JsonNode frame, String error) {
      send("{\"type\":\"NACK\",\"messageId\":\"" + frame.path("messageId").asText() + "\",\"error\":\"" + error + "\",\"timestamp\":\"2026-01-15T21:04:05.127Z\"}");
    }

    /** Answers REGISTER_SESSION like a server: SESSION_REGISTERED then ACK. */
    void register(JsonNode frame) {
      send("{\"type\":\"SESSION_REGISTERED\",\"sessionId\":\"" + frame.path("sessionId").asText() + "\",\"seq\":"
          + seq.incrementAndGet() + ",\"authenticated\":false,\"djName\":\"" + frame.path("djName").asText() + "\",\"resumed\":false}");
      ack(frame);
    }

    /** The next session seq this fixture hands out (strictly increasing, like a server's). */
    long nextSeq() {
      return seq.incrementAndGet();
    }

    /** Fails the outbound stream: the client sees close 1011 (not final). */
    void drop() {
      out.fail(new RuntimeException("dropped by the test"));
    }

    /** Completes the outbound stream: close 1000 (final for a DJ client). */
    void closeNormally() {
      out.complete();
    }
  }

  static final ObjectMapper JSON = new ObjectMapper();

  final List<Frame> received = new CopyOnWriteArrayList<>();
  final List<Frame> sent = new CopyOnWriteArrayList<>();
  final AtomicLong seq = new AtomicLong(100);
  private final AtomicInteger connections = new AtomicInteger();
  private final ActorSystem<Void> system;
  private final Materializer materializer;
  private final ServerBinding binding;
  private volatile Script script;

  ScriptedDjServer(Script script) throws Exception {
    this.script = script;
    this.system =
        ActorSystem.create(
            Behaviors.empty(),
            "dj-fixture",
            ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING")
                .withFallback(ConfigFactory.defaultReference()));
    this.materializer = Materializer.createMaterializer(system);
    Route route = path("ws", () -> extractRequest(request -> handleWebSocketMessages(connectionFlow())));
    this.binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(route).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** The usual answers: register, then ACK everything that carries a messageId. */
  static void acknowledgeAll(Connection c, JsonNode frame) {
    if ("REGISTER_SESSION".equals(frame.path("type").asText())) c.register(frame);
    else if (frame.hasNonNull("messageId")) c.ack(frame);
  }

  URI wsUri() {
    return URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/ws");
  }

  int connectionCount() {
    return connections.get();
  }

  List<Frame> receivedOf(String type) {
    return received.stream().filter(f -> f.type().equals(type)).toList();
  }

  List<Frame> receivedWhere(Predicate<Frame> p) {
    return received.stream().filter(p).toList();
  }

  private Flow<Message, Message, NotUsed> connectionFlow() {
    int index = connections.getAndIncrement();
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out = Source.<Message>queue(256).preMaterialize(materializer);
    Connection connection = new Connection(index, out.first());
    Sink<Message, NotUsed> in =
        Flow.<Message>create()
            .mapAsync(
                1,
                m -> {
                  if (!m.isText()) {
                    m.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer);
                    return CompletableFuture.completedFuture("");
                  }
                  return m.asTextMessage().toStrict(5_000, materializer).thenApply(TextMessage::getStrictText);
                })
            .filter(text -> !text.isEmpty())
            .to(
                Sink.foreach(
                    text -> {
                      JsonNode json = JSON.readTree(text);
                      received.add(new Frame(index, System.currentTimeMillis(), json));
                      script.onFrame(connection, json);
                    }));
    return Flow.fromSinkAndSourceCoupled(in, out.second());
  }

  @Override
  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
