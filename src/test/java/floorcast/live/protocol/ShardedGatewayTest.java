package floorcast.live.protocol;

import floorcast.live.LiveMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import floorcast.live.ConnectionHandler;
import floorcast.live.LiveSessions;
import floorcast.ops.DatabaseSettings;
import floorcast.ops.FloorcastNode;
import floorcast.session.SessionFeed;
import floorcast.session.SessionMetrics;
import floorcast.session.SessionPublisher;
import floorcast.session.SnapshotRetention;
import floorcast.session.SessionSettings;
import floorcast.session.SessionSharding;
import floorcast.session.SessionSummary;
import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveConnectionFactory} on a real single-node cluster: connections reach the sharded DjSession entities
 * (journal in PostgreSQL), poll ids come from the node's pool. The fan-out is the in-test single-node one.
 */
class ShardedGatewayTest {
  private static final ObjectMapper json = new ObjectMapper();
  private static final Map<String, Object> OVERRIDES = Map.of("floorcast.live.ask-timeout", "30s");

  /** A bare cluster member (no gateway of its own): the test wires the connection factory to an in-test fan-out. */
  private static org.apache.pekko.actor.typed.ActorSystem<Void> system;

  private static javax.sql.DataSource dataSource;
  private static LiveConnectionFactory factory;
  private static final LocalFanout fanout = new LocalFanout();
  private static final Map<String, SessionSummary> directory = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    system = floorcast.testing.ClusterSystems.start("sharded-gateway", db, null, OVERRIDES);
    dataSource = TestDatabase.dataSource(db);
    Config config = system.settings().config();
    SessionPublisher publisher =
        new SessionPublisher() {
          @Override
          public void publish(SessionFeed feed) {
            if (feed instanceof SessionFeed.Published p) fanout.publish(p);
          }

          @Override
          public void summaryChanged(SessionSummary summary) {
            if (summary.live()) directory.put(summary.sessionId(), summary);
            else directory.remove(summary.sessionId());
          }
        };
    SessionSharding.init(system, SessionSettings.fromConfig(config), publisher, SessionMetrics.NONE, SnapshotRetention.KEEP_ALL);
    factory =
        new LiveConnectionFactory(
            system,
            config,
            dataSource,
            token -> CompletableFuture.completedFuture(Optional.empty()),
            fanout,
            LiveSessions.of(
                () -> new ArrayList<>(directory.values()), directory::size, id -> Optional.ofNullable(directory.get(id))),
            LiveConnectionFactory.dancerIngress(system, config),
            LiveMetrics.NONE);
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static void send(ConnectionHandler handler, String text) throws Exception {
    handler.onText(text).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static List<JsonNode> until(RecordingChannel channel, String type) throws Exception {
    List<JsonNode> frames = new ArrayList<>();
    while (true) {
      String text = channel.frames.poll(30, TimeUnit.SECONDS);
      assertNotNull(text, "no " + type + " on " + channel.connectionId() + " after " + frames);
      JsonNode frame = json.readTree(text);
      frames.add(frame);
      if (type.equals(frame.path("type").asText())) return frames;
    }
  }

  private static JsonNode last(List<JsonNode> frames) {
    return frames.get(frames.size() - 1);
  }

  @Test
  void djAndDancerThroughShardedEntities() throws Exception {
    String sessionId = "pika_sharded_" + System.nanoTime();
    RecordingChannel djChannel = new RecordingChannel("node#1");
    ConnectionHandler dj = factory.create(djChannel);
    send(dj, "{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"djName\":\"DJ Shard\",\"messageId\":\"r1\"}");
    List<JsonNode> registered = until(djChannel, "LISTENER_COUNT");
    assertEquals("SESSION_REGISTERED", registered.get(0).path("type").asText());
    assertEquals("ACK", registered.get(1).path("type").asText());

    RecordingChannel dancerChannel = new RecordingChannel("node#2");
    ConnectionHandler dancer = factory.create(dancerChannel);
    send(dancer, "{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"client_shard_1\",\"messageId\":\"s1\"}");
    List<JsonNode> snapshot = until(dancerChannel, "ACK");
    assertEquals("SESSIONS_LIST", snapshot.get(0).path("type").asText());

    send(dj, "{\"type\":\"START_POLL\",\"sessionId\":\"" + sessionId + "\",\"question\":\"Tempo?\",\"options\":[\"up\",\"down\"],\"messageId\":\"p1\"}");
    List<JsonNode> started = until(djChannel, "POLL_STARTED");
    boolean ackFirst = false;
    for (JsonNode f : started) ackFirst |= "ACK".equals(f.path("type").asText()) && "p1".equals(f.path("messageId").asText());
    assertTrue(ackFirst, "ACK before POLL_STARTED: " + started);
    long pollId = started.get(started.size() - 1).path("pollId").asLong();
    assertTrue(pollId > 0);
    assertEquals(pollId, last(until(dancerChannel, "POLL_STARTED")).path("pollId").asLong());

    send(dancer, "{\"type\":\"VOTE_ON_POLL\",\"pollId\":" + pollId + ",\"optionIndex\":0,\"messageId\":\"v1\"}");
    assertEquals("v1", last(until(dancerChannel, "ACK")).path("messageId").asText());

    send(dancer, "{\"type\":\"VALIDATE_SESSION\",\"sessionId\":\"" + sessionId + "\"}");
    assertTrue(last(until(dancerChannel, "SESSION_VALID")).path("isValid").asBoolean());

    dancer.onClosed();
    dj.onClosed();
  }
}
