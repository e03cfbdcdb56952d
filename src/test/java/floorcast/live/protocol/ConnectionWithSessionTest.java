package floorcast.live.protocol;

import floorcast.live.LiveMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import floorcast.live.FeedListener;
import floorcast.live.codec.InboundCodec;
import floorcast.live.codec.OutboundCodec;
import floorcast.ops.DatabaseSettings;
import floorcast.ops.FloorcastNode;
import floorcast.session.DjSession;
import floorcast.session.SessionCommand;
import floorcast.session.SessionFeed;
import floorcast.session.SessionMetrics;
import floorcast.session.SessionPublisher;
import floorcast.session.SessionSettings;
import floorcast.session.SnapshotRetention;
import floorcast.session.SessionSummary;
import floorcast.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections driving real DjSession entities (journal in PostgreSQL) on one node: the gateway half of the
 * end-to-end path without the WebSocket transport. The publisher below stands for the transport's cluster fan-out.
 */
class ConnectionWithSessionTest {
  private static final ObjectMapper json = new ObjectMapper();
  private static final AtomicInteger ids = new AtomicInteger();

  private static ActorTestKit kit;
  private static DataSource db;
  private static ExecutorService blocking;

  private final Map<String, ActorRef<SessionCommand>> entities = new ConcurrentHashMap<>();
  private final Map<String, SessionSummary> directory = new ConcurrentHashMap<>();
  private LocalFanout fanout;
  private ConnectionServices services;
  private String sessionId;

  @BeforeAll
  static void start() {
    DatabaseSettings settings = TestDatabase.fresh();
    Config config =
        FloorcastNode.withDatabase(
            ConfigFactory.parseString(
                    "pekko.actor.provider = local\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off\n"
                        + "pekko-persistence-jdbc.shared-databases.default.db { numThreads = 4, maxConnections = 4, minConnections = 2 }")
                .withFallback(ConfigFactory.load()),
            settings);
    kit = ActorTestKit.create("ConnectionWithSessionTest", config);
    db = TestDatabase.dataSource(settings);
    blocking = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    blocking.shutdownNow();
  }

  /** What the transport's fan-out does with a session's output, on one node. */
  private final class NodePublisher implements SessionPublisher {
    @Override
    public void publish(SessionFeed feed) {
      if (feed instanceof SessionFeed.Published published) {
        fanout.publish(published);
      } else if (feed instanceof SessionFeed.Recovered recovered) {
        for (FeedListener l : List.copyOf(fanout.followers.getOrDefault(feed.sessionId(), Set.of()))) l.onRecovered(recovered);
      } else if (feed instanceof SessionFeed.DjRoleRevoked revoked) {
        for (FeedListener l : List.copyOf(fanout.followers.getOrDefault(feed.sessionId(), Set.of()))) l.onDjRoleRevoked(revoked);
      }
    }

    @Override
    public void publishAll(List<SessionFeed.Published> feeds) {
      if (feeds.size() == 1) publish(feeds.get(0));
      else fanout.publishTogether(feeds);
    }

    @Override
    public void summaryChanged(SessionSummary summary) {
      if (summary.live()) directory.put(summary.sessionId(), summary);
      else directory.remove(summary.sessionId());
    }
  }

  @BeforeEach
  void services() {
    fanout = new LocalFanout();
    sessionId = "pika_it_" + System.nanoTime() + "_" + ids.incrementAndGet();
    NodePublisher publisher = new NodePublisher();
    SessionEntities sessionEntities =
        new SessionEntities(
            id ->
                entities.computeIfAbsent(
                    id,
                    key ->
                        kit.spawn(
                            DjSession.create(key, SessionSettings.defaults(), publisher, SessionMetrics.NONE, SnapshotRetention.KEEP_ALL, Clock.systemUTC(), null),
                            "session-" + key)),
            kit.scheduler(),
            Duration.ofSeconds(30)); // the first journal write of a fresh JVM can be slow on a loaded machine
    floorcast.live.LiveSessions live =
        floorcast.live.LiveSessions.of(
            () -> new ArrayList<>(directory.values()), directory::size, id -> Optional.ofNullable(directory.get(id)));
    services =
        new ConnectionServices(
            new InboundCodec(),
            new OutboundCodec(),
            sessionEntities,
            new DancerIngress(sessionEntities, 500, 10_000),
            new PollIds(db, blocking),
            new ReadSideSessionIds(db, blocking),
            token -> CompletableFuture.completedFuture(Optional.empty()),
            live,
            new SessionsListCache(),
            fanout,
            new ConnectionSettings(Duration.ofSeconds(30), 10000, 20, Duration.ofSeconds(5)),
            Clock.systemUTC(),
            Runnable::run,
            LiveMetrics.NONE);
  }

  private record Client(RecordingChannel channel, Connection connection) {
    void send(String text) throws Exception {
      connection.onText(text).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Frames up to and including the first that matches (waiting up to 30 s per frame). */
    List<JsonNode> until(Predicate<JsonNode> last) throws Exception {
      List<JsonNode> frames = new ArrayList<>();
      while (true) {
        String text = channel.frames.poll(30, TimeUnit.SECONDS);
        assertNotNull(text, "no further frame on " + channel.connectionId() + " after " + frames);
        JsonNode frame = json.readTree(text);
        frames.add(frame);
        if (last.test(frame)) return frames;
      }
    }
  }

  private Client connect(String id) {
    RecordingChannel channel = new RecordingChannel(id);
    return new Client(channel, new Connection(channel, services));
  }

  private static Predicate<JsonNode> type(String type) {
    return f -> type.equals(f.path("type").asText());
  }

  private static Predicate<JsonNode> ack(String messageId) {
    return f -> "ACK".equals(f.path("type").asText()) && messageId.equals(f.path("messageId").asText());
  }

  private static JsonNode last(List<JsonNode> frames) {
    return frames.get(frames.size() - 1);
  }

  private static List<String> types(List<JsonNode> frames) {
    List<String> types = new ArrayList<>();
    for (JsonNode f : frames) types.add(f.path("type").asText());
    return types;
  }

  private static void assertNoSeqTwice(List<JsonNode> frames) {
    Set<String> seen = new HashSet<>();
    for (JsonNode f : frames) {
      if (f.has("seq")) assertTrue(seen.add(f.path("sessionId").asText() + "#" + f.path("seq").asLong()), "duplicate " + f);
    }
  }

  private static final String TRACK = "{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96,\"key\":\"Am\"}";

  @Test
  void aLiveSetFromRegistrationToTheEnd() throws Exception {
    Client dj = connect("dj");
    dj.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"djName\":\"DJ Smooth\",\"version\":\"0.3.0\",\"messageId\":\"r1\"}");
    List<JsonNode> registration = dj.until(type("LISTENER_COUNT"));
    assertEquals(List.of("SESSION_REGISTERED", "ACK", "SESSION_STARTED", "LISTENER_COUNT"), types(registration));
    assertEquals("DJ Smooth", registration.get(0).path("djName").asText());
    assertFalse(registration.get(0).path("resumed").asBoolean());

    Client dancer = connect("dancer");
    dancer.send("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"client_1736970000000_x7k2p9q4r\",\"messageId\":\"s1\"}");
    List<JsonNode> snapshot = dancer.until(ack("s1"));
    assertEquals("SESSIONS_LIST", types(snapshot).get(0));
    assertEquals(sessionId, snapshot.get(0).path("sessions").get(0).path("sessionId").asText());
    assertTrue(types(snapshot).contains("DJ_STATUS"), types(snapshot).toString());
    assertEquals("ACK", types(snapshot).get(snapshot.size() - 1));

    dj.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + sessionId + "\",\"track\":" + TRACK + ",\"messageId\":\"b1\"}");
    List<JsonNode> djSide = dj.until(type("NOW_PLAYING"));
    assertTrue(types(djSide).indexOf("ACK") < types(djSide).indexOf("NOW_PLAYING"), "ACK before the broadcast: " + types(djSide));
    JsonNode nowPlaying = last(dancer.until(type("NOW_PLAYING")));
    assertEquals("{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96,\"key\":\"Am\"}", nowPlaying.path("track").toString());

    dancer.send("{\"type\":\"SEND_LIKE\",\"payload\":{\"track\":{\"title\":\"queen of loneliness\",\"artist\":\"DELTA DREAMBOX\"}},\"messageId\":\"l1\"}");
    dancer.until(ack("l1"));
    JsonNode like = last(dj.until(type("LIKE_RECEIVED")));
    assertEquals(1, like.path("count").asInt());
    assertEquals("Queen of Loneliness", like.path("payload").path("track").path("title").asText(), "the stored spelling");
    dancer.send("{\"type\":\"SEND_LIKE\",\"payload\":{\"track\":" + TRACK + "},\"messageId\":\"l2\"}");
    JsonNode again = last(dancer.until(f -> f.path("messageId").asText().equals("l2")));
    assertEquals("NACK", again.path("type").asText());
    assertEquals("Already liked this track", again.path("error").asText());

    Client intruder = connect("intruder");
    intruder.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + sessionId + "\",\"track\":" + TRACK + ",\"messageId\":\"x1\"}");
    assertEquals("Unauthorized track broadcast", json.readTree(intruder.channel().next()).path("error").asText());
    intruder.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"messageId\":\"x2\"}");
    assertEquals("Session owned by another DJ", json.readTree(intruder.channel().next()).path("error").asText(), "a live DJ connection is never taken over");

    dj.send("{\"type\":\"END_SESSION\",\"sessionId\":\"" + sessionId + "\",\"messageId\":\"e1\"}");
    List<JsonNode> ending = dj.until(type("SESSION_ENDED"));
    assertTrue(types(ending).indexOf("ACK") < types(ending).indexOf("SESSION_ENDED"), types(ending).toString());
    dancer.until(type("SESSION_ENDED"));
    assertFalse(fanout.follows(sessionId, dj.connection()));
    assertFalse(fanout.follows(sessionId, dancer.connection()));

    dancer.send("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + sessionId + "\",\"messageId\":\"s2\"}");
    List<JsonNode> ended = dancer.until(ack("s2"));
    assertEquals("{\"type\":\"SESSION_ENDED\",\"sessionId\":\"" + sessionId + "\"}", ended.get(0).toString());

    Client late = connect("late");
    late.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\"}");
    assertEquals("{\"type\":\"ERROR\",\"code\":\"session_ended\",\"message\":\"Session has ended\"}", late.channel().next());
    assertEquals(new RecordingChannel.Close(4410, "Session has ended"), late.channel().nextClose());
    assertNoSeqTwice(registration);
    assertNoSeqTwice(djSide);
  }

  @Test
  void aDjWhoseConnectionClosedResumesOnANewConnection() throws Exception {
    Client dj = connect("dj-a");
    dj.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"djName\":\"DJ Smooth\"}");
    dj.until(type("LISTENER_COUNT"));
    Client dancer = connect("dancer");
    dancer.send("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"client_0000001\",\"messageId\":\"s1\"}");
    dancer.until(ack("s1"));

    dj.connection().onClosed();
    JsonNode away = last(dancer.until(type("DJ_STATUS")));
    assertFalse(away.path("connected").asBoolean());

    Client again = connect("dj-b");
    again.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"djName\":\"Someone Else\",\"messageId\":\"r2\"}");
    List<JsonNode> resumed = again.until(type("LISTENER_COUNT"));
    assertEquals("SESSION_REGISTERED", resumed.get(0).path("type").asText());
    assertTrue(resumed.get(0).path("resumed").asBoolean());
    assertEquals("DJ Smooth", resumed.get(0).path("djName").asText(), "djName does not change on resume");
    assertEquals("ACK", resumed.get(1).path("type").asText());
    assertTrue(last(dancer.until(type("DJ_STATUS"))).path("connected").asBoolean());
    assertEquals(1, last(resumed).path("count").asInt(), "the subscribed dancer counts");
  }

  @Test
  void lobbyValidationAndAPollRoundTrip() throws Exception {
    Client dj = connect("dj");
    dj.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"djName\":\"DJ Poll\"}");
    dj.until(type("LISTENER_COUNT"));

    Client lobby = connect("lobby");
    lobby.send("{\"type\":\"GET_SESSIONS\"}");
    JsonNode list = lobby.until(type("SESSIONS_LIST")).get(0);
    boolean listed = false;
    for (JsonNode entry : list.path("sessions")) listed |= entry.path("sessionId").asText().equals(sessionId);
    assertTrue(listed, list.toString());
    lobby.send("{\"type\":\"VALIDATE_SESSION\",\"sessionId\":\"" + sessionId + "\"}");
    assertEquals("{\"type\":\"SESSION_VALID\",\"sessionId\":\"" + sessionId + "\",\"isValid\":true}", lobby.channel().next());
    lobby.send("{\"type\":\"VALIDATE_SESSION\",\"sessionId\":\"pika_never_registered\"}");
    assertEquals("{\"type\":\"SESSION_VALID\",\"sessionId\":\"pika_never_registered\",\"isValid\":false}", lobby.channel().next());

    lobby.send("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + sessionId + "\",\"messageId\":\"s1\"}");
    lobby.until(ack("s1"));
    dj.send("{\"type\":\"START_POLL\",\"sessionId\":\"" + sessionId + "\",\"question\":\"Next style?\",\"options\":[\"Blues\",\"Lyrical\"],\"messageId\":\"p1\"}");
    JsonNode started = last(dj.until(type("POLL_STARTED")));
    long pollId = started.path("pollId").asLong();
    assertTrue(pollId > 0);
    assertEquals(pollId, last(lobby.until(type("POLL_STARTED"))).path("pollId").asLong());

    lobby.send("{\"type\":\"VOTE_ON_POLL\",\"pollId\":" + pollId + ",\"optionIndex\":1,\"messageId\":\"v1\"}");
    assertEquals("Client ID required to vote", last(lobby.until(f -> f.path("messageId").asText().equals("v1"))).path("error").asText());
    lobby.send("{\"type\":\"VOTE_ON_POLL\",\"pollId\":" + pollId + ",\"optionIndex\":1,\"clientId\":\"client_voter1\",\"messageId\":\"v2\"}");
    lobby.until(ack("v2"));
    JsonNode update = last(dj.until(type("POLL_UPDATE")));
    assertEquals("[0,1]", update.path("votes").toString());

    dj.send("{\"type\":\"END_POLL\",\"pollId\":" + pollId + ",\"messageId\":\"e1\"}");
    List<JsonNode> ended = dj.until(type("POLL_ENDED"));
    assertTrue(types(ended).indexOf("ACK") < types(ended).indexOf("POLL_ENDED"), types(ended).toString());
    assertEquals(1, last(ended).path("winnerIndex").asInt());
    assertEquals(1, last(lobby.until(type("POLL_ENDED"))).path("winnerIndex").asInt());
  }
}
