package floorcast.web;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.handleWebSocketMessages;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
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
 * Test fixture for the dancer page: serves {@link WebRoutes} plus a scripted {@code /ws} and the REST reads the page
 * makes (history, recap, active sessions) with per-test bodies, and records every frame the page sent.
 */
final class DancerFixtureServer implements AutoCloseable {
  interface Script {
    void onFrame(Connection c, JsonNode frame);
  }

  record Frame(int connection, JsonNode json) {
    String type() {
      return json.path("type").asText();
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
      out.offer(TextMessage.create(json));
    }

    void ack(JsonNode frame) {
      if (frame.hasNonNull("messageId")) {
        send("{\"type\":\"ACK\",\"messageId\":\"" + frame.get("messageId").asText() + "\",\"status\":\"ok\",\"timestamp\":\"2026-01-15T21:04:05.127Z\"}");
      }
    }

    void nack(JsonNode frame, String error) {
      send("{\"type\":\"NACK\",\"messageId\":\"" + frame.get("messageId").asText() + "\",\"error\":\"" + error + "\",\"timestamp\":\"2026-01-15T21:04:05.127Z\"}");
    }

    void drop() {
      out.fail(new RuntimeException("dropped by the test"));
    }
  }

  static final ObjectMapper JSON = new ObjectMapper();
  final List<Frame> received = new CopyOnWriteArrayList<>();
  final List<Connection> connections = new CopyOnWriteArrayList<>();
  final Map<String, String> history = new ConcurrentHashMap<>();
  final Map<String, String> recaps = new ConcurrentHashMap<>();
  volatile String activeSessions = "{\"live\":false,\"sessions\":[]}";
  volatile boolean refuseUpgrades;
  volatile Script script = (c, f) -> c.ack(f);
  private final AtomicInteger counter = new AtomicInteger();
  private final ActorSystem<Void> system;
  private final Materializer materializer;
  private final ServerBinding binding;

  DancerFixtureServer() throws Exception {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "dancer-fixture",
            ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING").withFallback(ConfigFactory.defaultReference()));
    materializer = Materializer.createMaterializer(system);
    Route ws =
        path(
            "ws",
            () ->
                extractRequest(
                    request ->
                        refuseUpgrades
                            ? complete(StatusCodes.SERVICE_UNAVAILABLE, "offline for the test")
                            : handleWebSocketMessages(connectionFlow())));
    Route api =
        concat(
            path(segment("api").slash("sessions").slash("active"), () -> complete(json(200, activeSessions))),
            path(segment("api").slash("session").slash(segment()).slash("history"), id -> complete(json(200, history.getOrDefault(id, "[]")))),
            path(
                segment("api").slash("session").slash(segment()).slash("recap"),
                id -> {
                  String recap = recaps.get(id);
                  return complete(recap == null ? json(404, "{\"error\":\"Session not found\"}") : json(200, recap));
                }));
    binding =
        Http.get(system)
            .newServerAt("127.0.0.1", 0)
            .bind(concat(ws, api, new WebRoutes().route()))
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse json(int status, String body) {
    return org.apache.pekko.http.javadsl.model.HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }

  String base() {
    return "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  List<Frame> receivedOf(String type) {
    return received.stream().filter(f -> f.type().equals(type)).toList();
  }

  Connection latest() {
    return connections.get(connections.size() - 1);
  }

  private Flow<Message, Message, NotUsed> connectionFlow() {
    int index = counter.getAndIncrement();
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out = Source.<Message>queue(256).preMaterialize(materializer);
    Connection c = new Connection(index, out.first());
    connections.add(c);
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
            .filter(t -> !t.isEmpty())
            .to(
                Sink.foreach(
                    text -> {
                      JsonNode f = JSON.readTree(text);
                      received.add(new Frame(index, f));
                      script.onFrame(c, f);
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
