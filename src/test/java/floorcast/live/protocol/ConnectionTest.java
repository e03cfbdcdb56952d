package floorcast.live.protocol;

import floorcast.live.LiveMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import floorcast.live.LiveSessions;
import floorcast.live.codec.InboundCodec;
import floorcast.live.codec.OutboundCodec;
import floorcast.session.DancerBatchReply;
import floorcast.session.DancerRequest;
import floorcast.session.SessionCommand;
import floorcast.session.SessionError;
import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;
import floorcast.session.SessionReply;
import floorcast.session.SessionSummary;
import floorcast.session.TrackInfo;
import floorcast.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection's protocol logic (§1.2–§5) with probes standing where the session entities are: what it asks,
 * what it answers, and in which order. The entity's own rules are tested with the entity.
 */
class ConnectionTest {
  private static final Instant NOW = Instant.parse("2026-01-15T21:04:05.127Z");
  private static final String TS = "\"timestamp\":\"2026-01-15T21:04:05.127Z\"";
  private static final String S = "pika_1736972400000_k3j9x2m1q";
  private static final String OTHER = "pika_1736972400000_other001";
  private static final TrackInfo QUEEN = new TrackInfo("Queen of Loneliness", "Delta Dreambox", 96.0, null, null, null, null, null, null);

  private static ActorTestKit kit;
  private static DataSource db;
  private static ExecutorService blocking;

  private final Map<String, TestProbe<SessionCommand>> entities = new ConcurrentHashMap<>();
  private final OutboundCodec out = new OutboundCodec();
  private LocalFanout fanout;
  private Directory directory;
  private ConnectionServices services;

  /** A lobby directory the test fills in. */
  static final class Directory implements LiveSessions {
    final List<SessionSummary> sessions = new CopyOnWriteArrayList<>();
    volatile int count;

    @Override
    public List<SessionSummary> liveSessions() {
      return sessions;
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public Optional<SessionSummary> get(String sessionId) {
      return sessions.stream().filter(s -> s.sessionId().equals(sessionId)).findFirst();
    }

    @Override
    public long version() {
      return UNVERSIONED; // the tests change the list in place
    }
  }

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("ConnectionTest", ConfigFactory.parseString("pekko.actor.provider = local"));
    db = TestDatabase.dataSource(TestDatabase.fresh());
    blocking = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    blocking.shutdownNow();
  }

  @BeforeEach
  void services() {
    services(Duration.ofSeconds(10));
  }

  private void services(Duration askTimeout) {
    fanout = new LocalFanout();
    directory = new Directory();
    SessionEntities sessionEntities = new SessionEntities(id -> entity(id).ref(), kit.scheduler(), askTimeout);
    services =
        new ConnectionServices(
            new InboundCodec(),
            out,
            sessionEntities,
            new DancerIngress(sessionEntities, 500, 10_000),
            new PollIds(db, blocking),
            new ReadSideSessionIds(db, blocking),
            token ->
                CompletableFuture.completedFuture(
                    token.equals("pk_dj_valid_token_1")
                        ? Optional.of(new floorcast.account.DjAccount(7, "DJ Account", "a@b.c", "dj-account"))
                        : Optional.empty()),
            directory,
            new SessionsListCache(),
            fanout,
            new ConnectionSettings(askTimeout, 3, 20, Duration.ofSeconds(5)),
            Clock.fixed(NOW, ZoneOffset.UTC),
            Runnable::run,
            LiveMetrics.NONE);
  }

  private TestProbe<SessionCommand> entity(String sessionId) {
    return entities.computeIfAbsent(sessionId, id -> kit.createTestProbe("entity-" + id));
  }

  private <T> T expect(String sessionId, Class<T> type) {
    return assertInstanceOf(type, entity(sessionId).receiveMessage(Duration.ofSeconds(10)));
  }

  private record Client(RecordingChannel channel, Connection connection) {
    CompletableFuture<Void> send(String json) {
      return connection.onText(json).toCompletableFuture();
    }

    void sendAndWait(String json) throws Exception {
      send(json).get(10, TimeUnit.SECONDS);
    }

    String next() throws InterruptedException {
      return channel.next();
    }

    boolean quiet() {
      return channel.frames.isEmpty();
    }
  }

  private Client connect(String id) {
    RecordingChannel channel = new RecordingChannel(id);
    return new Client(channel, new Connection(channel, services));
  }

  private static void await(CompletableFuture<Void> f) throws Exception {
    f.get(10, TimeUnit.SECONDS);
  }

  private static String ack(String id) {
    return "{\"type\":\"ACK\",\"messageId\":\"" + id + "\",\"status\":\"ok\"," + TS + "}";
  }

  private static String nack(String id, SessionError e) {
    return "{\"type\":\"NACK\",\"messageId\":\"" + id + "\",\"error\":\"" + e.text() + "\",\"code\":\"" + e.code() + "\"," + TS + "}";
  }

  private String error(SessionError e) {
    return out.error(e);
  }

  /** Registers {@code sessionId} on {@code client} with the probe accepting; returns nothing left unread. */
  private void registerAsDj(Client client, String sessionId) throws Exception {
    CompletableFuture<Void> done = client.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"djName\":\"DJ Smooth\"}");
    SessionCommand.Register register = expect(sessionId, SessionCommand.Register.class);
    register.replyTo().tell(new SessionReply.Accepted(List.of(new SessionMessage.SessionRegistered(sessionId, 1, false, "DJ Smooth", false)), List.of()));
    await(done);
    assertTrue(client.next().startsWith("{\"type\":\"SESSION_REGISTERED\""));
  }

  private void subscribe(Client client, String sessionId, String clientId) throws Exception {
    CompletableFuture<Void> done =
        client.send("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"" + clientId + "\"}");
    SessionCommand.DancerBatch batch = expect(sessionId, SessionCommand.DancerBatch.class);
    batch.replyTo().tell(new DancerBatchReply(List.of(new DancerBatchReply.Snapshot(List.of(new SessionMessage.DjStatus(sessionId, 100, true))))));
    await(done);
    assertTrue(client.next().startsWith("{\"type\":\"DJ_STATUS\""));
  }

  // ------------------------------------------------------------------ bad input (§1.2, §1.6)

  @Test
  void invalidMessageWithoutMessageIdGetsError() throws Exception {
    Client c = connect("c1");
    c.sendAndWait("not json");
    assertEquals("{\"type\":\"ERROR\",\"code\":\"invalid_message\",\"message\":\"Invalid message: not valid JSON\"}", c.next());
  }

  @Test
  void invalidMessageWithMessageIdGetsNack() throws Exception {
    Client c = connect("c1");
    c.sendAndWait("{\"type\":\"ACK\",\"messageId\":\"m1\"}");
    assertEquals("{\"type\":\"NACK\",\"messageId\":\"m1\",\"error\":\"Unknown message type\",\"code\":\"unknown_type\"," + TS + "}", c.next());
  }

  @Test
  void moreThan20InvalidMessagesIn60sClose1008() throws Exception {
    Client c = connect("c1");
    for (int i = 0; i < 20; i++) c.sendAndWait("{\"type\":\"NOPE\"}");
    assertTrue(c.channel().closes.isEmpty(), "20 are tolerated");
    c.sendAndWait("{\"type\":\"NOPE\"}");
    assertEquals(new RecordingChannel.Close(1008, "Too many invalid messages"), c.channel().nextClose());
    for (int i = 0; i < 21; i++) assertEquals("{\"type\":\"ERROR\",\"code\":\"unknown_type\",\"message\":\"Unknown message type\"}", c.next());
  }

  @Test
  void validMessagesDoNotCountAgainstTheInvalidBudget() throws Exception {
    Client c = connect("c1");
    for (int i = 0; i < 20; i++) c.sendAndWait("{\"type\":\"NOPE\"}");
    for (int i = 0; i < 5; i++) c.sendAndWait("{\"type\":\"PING\"}");
    assertTrue(c.channel().closes.isEmpty());
  }

  // ------------------------------------------------------------------ utility (§5)

  @Test
  void pingGetsExactlyPongThenAckWhenAsked() throws Exception {
    Client c = connect("c1");
    c.sendAndWait("{\"type\":\"PING\"}");
    assertEquals("{\"type\":\"PONG\"}", c.next());
    c.sendAndWait("{\"type\":\"PING\",\"messageId\":\"p1\"}");
    assertEquals("{\"type\":\"PONG\"}", c.next());
    assertEquals(ack("p1"), c.next());
    assertTrue(c.quiet());
  }

  @Test
  void validateSessionAsksTheEntityEvenWhenTheDirectoryListsTheSession() throws Exception {
    // the lobby directory lags the entity: it still lists S although S just ended
    directory.sessions.add(new SessionSummary(S, true, "DJ", NOW, NOW, null, null, 0, true, null));
    Client c = connect("c1");
    CompletableFuture<Void> done = c.send("{\"type\":\"VALIDATE_SESSION\",\"sessionId\":\"" + S + "\",\"messageId\":\"v1\"}");
    expect(S, SessionCommand.GetSummary.class).replyTo().tell(new SessionSummary(S, false, "DJ", NOW, NOW, null, null, 0, false, null));
    await(done);
    assertEquals("{\"type\":\"SESSION_VALID\",\"sessionId\":\"" + S + "\",\"isValid\":false}", c.next());
    assertEquals(ack("v1"), c.next());

    done = c.send("{\"type\":\"VALIDATE_SESSION\",\"sessionId\":\"" + OTHER + "\"}");
    expect(OTHER, SessionCommand.GetSummary.class).replyTo().tell(SessionSummary.unknown(OTHER));
    await(done);
    assertEquals("{\"type\":\"SESSION_VALID\",\"sessionId\":\"" + OTHER + "\",\"isValid\":false}", c.next());

    done = c.send("{\"type\":\"VALIDATE_SESSION\",\"sessionId\":\"" + OTHER + "\"}");
    expect(OTHER, SessionCommand.GetSummary.class).replyTo().tell(new SessionSummary(OTHER, true, "DJ", NOW, NOW, null, null, 0, true, null));
    await(done);
    assertEquals("{\"type\":\"SESSION_VALID\",\"sessionId\":\"" + OTHER + "\",\"isValid\":true}", c.next());
  }

  // ------------------------------------------------------------------ REGISTER_SESSION (§3.1)

  @Test
  void registerAsksTheEntityAndRepliesInOrder() throws Exception {
    Client c = connect("c1");
    CompletableFuture<Void> done =
        c.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + S + "\",\"djName\":\" DJ Smooth \",\"version\":\"0.3.1\",\"messageId\":\"r1\",\"clientId\":\"client_dj\"}");
    SessionCommand.Register register = expect(S, SessionCommand.Register.class);
    assertEquals("c1", register.connectionId());
    assertEquals("DJ Smooth", register.requestedDjName());
    assertEquals("client_dj", register.clientId());
    assertEquals("0.3.1", register.clientVersion());
    assertNull(register.accountId());
    assertFalse(register.knownInReadSide());
    assertFalse(register.atCapacity());
    assertTrue(fanout.follows(S, c.connection()), "followed before the reply so no broadcast is missed");
    register
        .replyTo()
        .tell(
            new SessionReply.Accepted(
                List.of(new SessionMessage.SessionRegistered(S, 1, false, "DJ Smooth", false)),
                List.of(new SessionMessage.SessionStarted(S, 2, "DJ Smooth", NOW), new SessionMessage.ListenerCount(S, 3, 0))));
    await(done);
    assertEquals("{\"type\":\"SESSION_REGISTERED\",\"sessionId\":\"" + S + "\",\"seq\":1,\"authenticated\":false,\"djName\":\"DJ Smooth\",\"resumed\":false}", c.next());
    assertEquals(ack("r1"), c.next());
    assertTrue(c.next().startsWith("{\"type\":\"SESSION_STARTED\",\"sessionId\":\"" + S + "\",\"seq\":2"));
    assertEquals("{\"type\":\"LISTENER_COUNT\",\"sessionId\":\"" + S + "\",\"seq\":3,\"count\":0}", c.next());

    // the same messages travel through the fan-out too: the seq gate drops the second copy
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.SessionStarted(S, 2, "DJ Smooth", NOW), SessionFeed.Audience.LOBBY, null, 0));
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.TrackStopped(S, 4), SessionFeed.Audience.SESSION, null, 0));
    assertEquals("{\"type\":\"TRACK_STOPPED\",\"sessionId\":\"" + S + "\",\"seq\":4}", c.next());
    assertTrue(c.quiet());
  }

  @Test
  void registerWithoutSessionIdGetsAGeneratedId() throws Exception {
    Client c = connect("c1");
    CompletableFuture<Void> done = c.send("{\"type\":\"REGISTER_SESSION\"}");
    SessionCommand.Register register = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String generated = null;
    while (generated == null && System.nanoTime() < deadline) {
      for (String id : entities.keySet()) if (id.matches("session_" + NOW.toEpochMilli() + "_[0-9a-z]{8}")) generated = id;
      if (generated == null) java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    assertTrue(generated != null, "session_<epoch-ms>_<8 base-36> generated: " + entities.keySet());
    register = expect(generated, SessionCommand.Register.class);
    assertNull(register.requestedDjName());
    assertEquals("0.3.0", register.clientVersion(), "absent version defaults to 0.3.0");
    register.replyTo().tell(SessionReply.Accepted.empty());
    await(done);
  }

  @Test
  void registerPassesTheValidatedAccountReadSideKnowledgeAndCapacity() throws Exception {
    try (var conn = db.getConnection();
        var st = conn.prepareStatement("INSERT INTO sessions (id, dj_name) VALUES (?, 'Old') ON CONFLICT DO NOTHING")) {
      st.setString(1, OTHER);
      st.executeUpdate();
    }
    directory.count = 3; // = max-sessions in these settings
    Client c = connect("c1");
    CompletableFuture<Void> done =
        c.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + OTHER + "\",\"token\":\"pk_dj_valid_token_1\"}");
    SessionCommand.Register register = expect(OTHER, SessionCommand.Register.class);
    assertEquals(7L, register.accountId());
    assertEquals("DJ Account", register.accountDisplayName());
    assertTrue(register.knownInReadSide());
    assertTrue(register.atCapacity());
    register.replyTo().tell(SessionReply.Accepted.empty());
    await(done);
  }

  @Test
  void anInvalidTokenIsTreatedAsNoToken() throws Exception {
    Client c = connect("c1");
    CompletableFuture<Void> done = c.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + S + "\",\"token\":\"pk_dj_wrong_token\"}");
    SessionCommand.Register register = expect(S, SessionCommand.Register.class);
    assertNull(register.accountId());
    register.replyTo().tell(SessionReply.Accepted.empty());
    await(done);
  }

  @Test
  void registerForAnEndedSessionNacksThenCloses4410() throws Exception {
    Client c = connect("c1");
    CompletableFuture<Void> done = c.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + S + "\",\"messageId\":\"r1\"}");
    expect(S, SessionCommand.Register.class).replyTo().tell(new SessionReply.Rejected(SessionError.SESSION_HAS_ENDED));
    await(done);
    assertEquals(nack("r1", SessionError.SESSION_HAS_ENDED), c.next());
    assertEquals(new RecordingChannel.Close(4410, "Session has ended"), c.channel().nextClose());
    assertFalse(fanout.follows(S, c.connection()));
  }

  @Test
  void registerAtCapacityCloses1013WithoutNack() throws Exception {
    Client c = connect("c1");
    CompletableFuture<Void> done = c.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + S + "\",\"messageId\":\"r1\"}");
    expect(S, SessionCommand.Register.class).replyTo().tell(new SessionReply.AtCapacity());
    await(done);
    assertEquals(new RecordingChannel.Close(1013, "Server busy (max sessions reached)"), c.channel().nextClose());
    assertTrue(c.quiet());
  }

  @Test
  void registerOwnedByAnotherDjIsAnErrorWithoutMessageId() throws Exception {
    Client c = connect("c1");
    CompletableFuture<Void> done = c.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + S + "\"}");
    expect(S, SessionCommand.Register.class).replyTo().tell(new SessionReply.Rejected(SessionError.SESSION_OWNED));
    await(done);
    assertEquals(error(SessionError.SESSION_OWNED), c.next());
    assertTrue(c.channel().closes.isEmpty());
  }

  @Test
  void registeringAnotherSessionDisconnectsTheDjFromTheOldOne() throws Exception {
    Client c = connect("c1");
    registerAsDj(c, S);
    registerAsDj(c, OTHER);
    assertEquals("c1", expect(S, SessionCommand.DjDisconnected.class).connectionId());
    assertFalse(fanout.follows(S, c.connection()));
    assertTrue(fanout.follows(OTHER, c.connection()));
  }

  @Test
  void aTimeoutAnswersInternalServerError() throws Exception {
    services(Duration.ofMillis(300));
    Client c = connect("c1");
    CompletableFuture<Void> done = c.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + S + "\",\"messageId\":\"r1\"}");
    expect(S, SessionCommand.Register.class); // never answered
    await(done);
    assertEquals(nack("r1", SessionError.INTERNAL), c.next());
    assertFalse(fanout.follows(S, c.connection()));
  }

  // ------------------------------------------------------------------ DJ commands (§3.0, §1.7)

  @Test
  void djCommandRepliesAckThenBroadcastsMergedWithHeldFanoutBySeq() throws Exception {
    Client dj = connect("dj");
    registerAsDj(dj, S);
    CompletableFuture<Void> done =
        dj.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + S + "\",\"track\":{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96},\"messageId\":\"b1\"}");
    SessionCommand.BroadcastTrack command = expect(S, SessionCommand.BroadcastTrack.class);
    assertEquals("b1", command.messageId());
    assertEquals("dj", command.connectionId());
    assertEquals(QUEEN, command.track());
    // while the command is in flight the fan-out delivers an older like and the command's own broadcasts
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.LikeReceived(S, 9, QUEEN, 2), SessionFeed.Audience.SESSION, null, 0));
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.TempoReset(S, 10), SessionFeed.Audience.SESSION, null, 0));
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.NowPlaying(S, 11, "DJ Smooth", QUEEN), SessionFeed.Audience.SESSION, null, 0));
    assertTrue(dj.quiet(), "held until the reply");
    command.replyTo().tell(new SessionReply.Accepted(List.of(), List.of(new SessionMessage.TempoReset(S, 10), new SessionMessage.NowPlaying(S, 11, "DJ Smooth", QUEEN))));
    await(done);
    assertEquals(ack("b1"), dj.next());
    assertTrue(dj.next().startsWith("{\"type\":\"LIKE_RECEIVED\",\"sessionId\":\"" + S + "\",\"seq\":9"));
    assertEquals("{\"type\":\"TEMPO_RESET\",\"sessionId\":\"" + S + "\",\"seq\":10}", dj.next());
    assertTrue(dj.next().startsWith("{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + S + "\",\"seq\":11"));
    assertTrue(dj.quiet(), "each message once");
  }

  /** What a track change publishes together: TEMPO_RESET at {@code seq}, NOW_PLAYING at {@code seq + 1}. */
  private static List<SessionFeed.Published> trackChange(long seq) {
    return List.of(
        new SessionFeed.Published(S, new SessionMessage.TempoReset(S, seq), SessionFeed.Audience.SESSION, null, 0),
        new SessionFeed.Published(S, new SessionMessage.NowPlaying(S, seq + 1, "DJ Smooth", QUEEN), SessionFeed.Audience.SESSION, null, 0));
  }

  @Test
  void aTrackChangePublishedTogetherReachesADancerTogetherInOrderAndOnlyNewerThanItsSnapshot() throws Exception {
    Client c = connect("c1");
    subscribe(c, S, "client_1736970000000_x7k2p9q4r"); // snapshot up to seq 100
    fanout.publishTogether(trackChange(100));
    assertTrue(c.next().startsWith("{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + S + "\",\"seq\":101"), "seq 100 was in the snapshot");
    assertEquals(1, c.channel().together.poll(5, TimeUnit.SECONDS));
    fanout.publishTogether(trackChange(102));
    assertEquals("{\"type\":\"TEMPO_RESET\",\"sessionId\":\"" + S + "\",\"seq\":102}", c.next());
    assertTrue(c.next().startsWith("{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + S + "\",\"seq\":103"));
    assertEquals(2, c.channel().together.poll(5, TimeUnit.SECONDS), "one write for both");
    assertTrue(c.quiet());
  }

  @Test
  void aDjOnlyMessagePublishedTogetherReachesOnlyItsTargetInSeqOrder() throws Exception {
    Client dj = connect("dj");
    registerAsDj(dj, S);
    Client dancer = connect("c1");
    subscribe(dancer, S, "client_1736970000000_x7k2p9q4r"); // snapshot up to seq 100
    List<SessionFeed.Published> together = new ArrayList<>();
    together.add(new SessionFeed.Published(S, new SessionMessage.TempoFeedback(S, 101, 1, 0, 0, 1), SessionFeed.Audience.DJ_ONLY, "dj", 0));
    together.addAll(trackChange(102));
    fanout.publishTogether(together);
    assertTrue(dj.next().startsWith("{\"type\":\"TEMPO_FEEDBACK\",\"sessionId\":\"" + S + "\",\"seq\":101"));
    assertEquals("{\"type\":\"TEMPO_RESET\",\"sessionId\":\"" + S + "\",\"seq\":102}", dj.next());
    assertTrue(dj.next().startsWith("{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + S + "\",\"seq\":103"));
    assertEquals(3, dj.channel().together.poll(5, TimeUnit.SECONDS));
    assertEquals("{\"type\":\"TEMPO_RESET\",\"sessionId\":\"" + S + "\",\"seq\":102}", dancer.next());
    assertTrue(dancer.next().startsWith("{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + S + "\",\"seq\":103"));
    assertEquals(2, dancer.channel().together.poll(5, TimeUnit.SECONDS));
    assertTrue(dj.quiet());
    assertTrue(dancer.quiet());
  }

  @Test
  void aDjsOwnTrackChangePublishedTogetherIsHeldAndMergedWithTheDirectCopiesOnce() throws Exception {
    Client dj = connect("dj");
    registerAsDj(dj, S);
    CompletableFuture<Void> done =
        dj.send("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + S + "\",\"track\":{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96},\"messageId\":\"b1\"}");
    SessionCommand.BroadcastTrack command = expect(S, SessionCommand.BroadcastTrack.class);
    fanout.publishTogether(trackChange(10));
    assertTrue(dj.quiet(), "held until the reply");
    command.replyTo().tell(new SessionReply.Accepted(List.of(), List.of(new SessionMessage.TempoReset(S, 10), new SessionMessage.NowPlaying(S, 11, "DJ Smooth", QUEEN))));
    await(done);
    assertEquals(ack("b1"), dj.next());
    assertEquals("{\"type\":\"TEMPO_RESET\",\"sessionId\":\"" + S + "\",\"seq\":10}", dj.next());
    assertTrue(dj.next().startsWith("{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + S + "\",\"seq\":11"));
    assertTrue(dj.quiet(), "each message once");
  }

  @Test
  void djCommandRejectionIsANackAndReleasesHeldMessages() throws Exception {
    Client c = connect("c1");
    subscribe(c, S, "client_1");
    CompletableFuture<Void> done = c.send("{\"type\":\"TRACK_STOPPED\",\"sessionId\":\"" + S + "\",\"messageId\":\"t1\"}");
    SessionCommand.StopTrack stop = expect(S, SessionCommand.StopTrack.class);
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.ListenerCount(S, 101, 5), SessionFeed.Audience.SESSION, null, 0));
    stop.replyTo().tell(new SessionReply.Rejected(SessionError.UNAUTHORIZED_TRACK_STOP));
    await(done);
    assertEquals(nack("t1", SessionError.UNAUTHORIZED_TRACK_STOP), c.next());
    assertEquals("{\"type\":\"LISTENER_COUNT\",\"sessionId\":\"" + S + "\",\"seq\":101,\"count\":5}", c.next());
  }

  @Test
  void eachDjCommandReachesTheEntityWithItsFields() throws Exception {
    Client dj = connect("dj");
    registerAsDj(dj, S);
    CompletableFuture<Void> done = dj.send("{\"type\":\"METADATA_UPDATED\",\"sessionId\":\"" + S + "\",\"track\":{\"title\":\"T\",\"artist\":\"A\",\"bpm\":96.4}}");
    SessionCommand.UpdateMetadata meta = expect(S, SessionCommand.UpdateMetadata.class);
    assertEquals(96.4, meta.track().bpm());
    assertNull(meta.messageId());
    meta.replyTo().tell(SessionReply.Accepted.empty());
    await(done);

    done = dj.send("{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"" + S + "\",\"message\":\"Last dance\",\"durationSeconds\":300}");
    SessionCommand.SendAnnouncement announcement = expect(S, SessionCommand.SendAnnouncement.class);
    assertEquals("Last dance", announcement.message());
    assertEquals(300, announcement.durationSeconds());
    announcement.replyTo().tell(SessionReply.Accepted.empty());
    await(done);

    done = dj.send("{\"type\":\"CANCEL_ANNOUNCEMENT\",\"sessionId\":\"" + S + "\"}");
    expect(S, SessionCommand.CancelAnnouncement.class).replyTo().tell(SessionReply.Accepted.empty());
    await(done);

    done = dj.send("{\"type\":\"END_SESSION\",\"sessionId\":\"" + S + "\",\"messageId\":\"e1\"}");
    expect(S, SessionCommand.EndSession.class)
        .replyTo()
        .tell(new SessionReply.Accepted(List.of(), List.of(new SessionMessage.SessionEnded(S, 50))));
    await(done);
    assertEquals(ack("e1"), dj.next());
    assertEquals("{\"type\":\"SESSION_ENDED\",\"sessionId\":\"" + S + "\",\"seq\":50}", dj.next());
    assertFalse(fanout.follows(S, dj.connection()), "the DJ connection loses its role when the session ends");
    dj.sendAndWait("{\"type\":\"END_POLL\",\"pollId\":1}");
    assertEquals(error(SessionError.UNAUTHORIZED_END_POLL), dj.next());
  }

  @Test
  void aLobbyWatchingDjSeesItsSessionEndOnce() throws Exception {
    Client dj = connect("dj");
    dj.sendAndWait("{\"type\":\"GET_SESSIONS\"}");
    dj.next();
    registerAsDj(dj, S);
    CompletableFuture<Void> done = dj.send("{\"type\":\"END_SESSION\",\"sessionId\":\"" + S + "\",\"messageId\":\"e1\"}");
    expect(S, SessionCommand.EndSession.class)
        .replyTo()
        .tell(new SessionReply.Accepted(List.of(), List.of(new SessionMessage.SessionEnded(S, 50))));
    await(done);
    assertEquals(ack("e1"), dj.next());
    assertEquals("{\"type\":\"SESSION_ENDED\",\"sessionId\":\"" + S + "\",\"seq\":50}", dj.next());
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.SessionEnded(S, 50), SessionFeed.Audience.LOBBY, null, 0));
    fanout.publish(new SessionFeed.Published(OTHER, new SessionMessage.SessionStarted(OTHER, 3, "DJ Next", NOW), SessionFeed.Audience.LOBBY, null, 0));
    assertTrue(dj.next().startsWith("{\"type\":\"SESSION_STARTED\",\"sessionId\":\"" + OTHER + "\""), "the late copy was dropped");
    assertTrue(dj.quiet());
  }

  @Test
  void startPollAllocatesAClusterUniquePollIdFirst() throws Exception {
    Client dj = connect("dj");
    registerAsDj(dj, S);
    CompletableFuture<Void> done =
        dj.send("{\"type\":\"START_POLL\",\"sessionId\":\"" + S + "\",\"question\":\"Next style?\",\"options\":[\"Blues\",\"Lyrical\"],\"durationSeconds\":120,\"messageId\":\"s1\"}");
    SessionCommand.StartPoll start = expect(S, SessionCommand.StartPoll.class);
    assertTrue(start.pollId() > 0);
    assertEquals(List.of("Blues", "Lyrical"), start.options());
    assertEquals(120, start.durationSeconds());
    start.replyTo().tell(SessionReply.Accepted.empty());
    await(done);
    assertEquals(ack("s1"), dj.next());
  }

  @Test
  void endPollAndCancelPollTargetTheConnectionsDjSession() throws Exception {
    Client c = connect("c1");
    c.sendAndWait("{\"type\":\"END_POLL\",\"pollId\":412,\"messageId\":\"e1\"}");
    assertEquals(nack("e1", SessionError.UNAUTHORIZED_END_POLL), c.next());
    c.sendAndWait("{\"type\":\"CANCEL_POLL\",\"pollId\":412,\"messageId\":\"x1\"}");
    assertEquals(nack("x1", SessionError.UNAUTHORIZED_CANCEL_POLL), c.next());

    registerAsDj(c, S);
    CompletableFuture<Void> done = c.send("{\"type\":\"END_POLL\",\"pollId\":412}");
    SessionCommand.EndPoll end = expect(S, SessionCommand.EndPoll.class);
    assertEquals(412, end.pollId());
    end.replyTo().tell(new SessionReply.Rejected(SessionError.POLL_NOT_FOUND));
    await(done);
    assertEquals(error(SessionError.POLL_NOT_FOUND), c.next());

    done = c.send("{\"type\":\"CANCEL_POLL\",\"sessionId\":\"" + OTHER + "\"}");
    SessionCommand.CancelPoll cancel = expect(OTHER, SessionCommand.CancelPoll.class);
    assertNull(cancel.pollId(), "only sessionId: the active poll");
    cancel.replyTo().tell(new SessionReply.Rejected(SessionError.SESSION_NOT_FOUND));
    await(done);
    assertEquals(error(SessionError.SESSION_NOT_FOUND), c.next());
  }

  @Test
  void djTrafficIsForwardedAsAThrottledHeartbeat() throws Exception {
    services =
        new ConnectionServices(
            services.inbound(), services.outbound(), services.entities(), services.dancers(), services.pollIds(),
            services.readSide(), services.tokens(), services.liveSessions(), services.sessionsList(), services.fanout(),
            new ConnectionSettings(Duration.ofSeconds(10), 3, 20, Duration.ofHours(1)), services.clock(), services.executor(), services.metrics());
    Client dj = connect("dj");
    registerAsDj(dj, S);
    services =
        new ConnectionServices(
            services.inbound(), services.outbound(), services.entities(), services.dancers(), services.pollIds(),
            services.readSide(), services.tokens(), services.liveSessions(), services.sessionsList(), services.fanout(),
            new ConnectionSettings(Duration.ofSeconds(10), 3, 20, Duration.ZERO), services.clock(), services.executor(), services.metrics());
    Client fast = connect("dj2");
    registerAsDj(fast, OTHER);
    fast.sendAndWait("{\"type\":\"PING\"}");
    assertEquals("dj2", expect(OTHER, SessionCommand.DjHeartbeat.class).connectionId());
    // the first connection (1 h throttle) registered just now: its PING sends no heartbeat yet
    dj.sendAndWait("{\"type\":\"PING\"}");
    entity(S).expectNoMessage(Duration.ofMillis(200));
  }

  // ------------------------------------------------------------------ SUBSCRIBE (§4.1) and lobby (§4.2)

  @Test
  void subscribeSendsTheSnapshotThenAckAndOnlyNewerMessages() throws Exception {
    Client c = connect("c1");
    CompletableFuture<Void> done =
        c.send("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + S + "\",\"clientId\":\" client_1736970000000_x7k2p9q4r \",\"lastSeq\":5,\"messageId\":\"sub1\"}");
    SessionCommand.DancerBatch batch = expect(S, SessionCommand.DancerBatch.class);
    DancerRequest.Subscribe request = assertInstanceOf(DancerRequest.Subscribe.class, batch.requests().get(0));
    assertEquals("c1", request.connectionId());
    assertEquals("client_1736970000000_x7k2p9q4r", request.clientId());
    assertEquals("sub1", request.messageId());
    // published while the snapshot is being built: older than the snapshot, so dropped; newer passes after the ACK
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.ListenerCount(S, 20, 1), SessionFeed.Audience.SESSION, null, 0));
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.TrackStopped(S, 30), SessionFeed.Audience.SESSION, null, 0));
    SessionSummary summary = new SessionSummary(S, true, "DJ Smooth", NOW, NOW, QUEEN, null, 2, true, null);
    batch
        .replyTo()
        .tell(
            new DancerBatchReply(
                List.of(
                    new DancerBatchReply.Snapshot(
                        List.of(
                            new SessionMessage.SessionsList(S, List.of(summary)),
                            new SessionMessage.NowPlaying(S, 21, "DJ Smooth", QUEEN),
                            new SessionMessage.ListenerCount(S, 22, 2),
                            new SessionMessage.DjStatus(S, 23, true))))));
    await(done);
    assertTrue(c.next().startsWith("{\"type\":\"SESSIONS_LIST\",\"sessions\":[{\"sessionId\":\"" + S + "\""));
    assertTrue(c.next().startsWith("{\"type\":\"NOW_PLAYING\",\"sessionId\":\"" + S + "\",\"seq\":21"));
    assertEquals("{\"type\":\"LISTENER_COUNT\",\"sessionId\":\"" + S + "\",\"seq\":22,\"count\":2}", c.next());
    assertEquals("{\"type\":\"DJ_STATUS\",\"sessionId\":\"" + S + "\",\"seq\":23,\"connected\":true}", c.next());
    assertEquals(ack("sub1"), c.next());
    assertEquals("{\"type\":\"TRACK_STOPPED\",\"sessionId\":\"" + S + "\",\"seq\":30}", c.next());
    assertTrue(c.quiet());
    assertTrue(fanout.follows(S, c.connection()));
  }

  @Test
  void subscribeToAnEndedSessionGetsSessionEndedWithoutSeqAndNoSubscription() throws Exception {
    Client c = connect("c1");
    CompletableFuture<Void> done = c.send("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + S + "\",\"messageId\":\"s1\"}");
    expect(S, SessionCommand.DancerBatch.class).replyTo().tell(new DancerBatchReply(List.of(new DancerBatchReply.NotLive())));
    await(done);
    assertEquals("{\"type\":\"SESSION_ENDED\",\"sessionId\":\"" + S + "\"}", c.next());
    assertEquals(ack("s1"), c.next());
    assertFalse(fanout.follows(S, c.connection()));
    c.sendAndWait("{\"type\":\"SEND_LIKE\",\"payload\":{\"track\":{\"title\":\"t\",\"artist\":\"a\"}}}");
    assertEquals(error(SessionError.NO_ACTIVE_SESSION), c.next());
  }

  @Test
  void subscribingElsewhereLeavesTheOldSession() throws Exception {
    Client c = connect("c1");
    subscribe(c, S, "client_0001");
    subscribe(c, OTHER, "client_0001");
    SessionCommand.DancerBatch leave = expect(S, SessionCommand.DancerBatch.class);
    DancerRequest.Unsubscribe unsubscribe = assertInstanceOf(DancerRequest.Unsubscribe.class, leave.requests().get(0));
    assertEquals("c1", unsubscribe.connectionId());
    assertEquals("client_0001", unsubscribe.clientId());
    leave.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));
    assertFalse(fanout.follows(S, c.connection()));
    assertTrue(fanout.follows(OTHER, c.connection()));
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.TrackStopped(S, 500), SessionFeed.Audience.SESSION, null, 0));
    assertTrue(c.quiet(), "a message for one session never reaches connections not subscribed to it");
  }

  @Test
  void getSessionsListsLiveSessionsOldestFirstAndWatchesTheLobby() throws Exception {
    directory.sessions.add(new SessionSummary("pika_new_0001", true, "New", Instant.parse("2026-01-15T21:00:00Z"), NOW, null, null, 1, true, null));
    directory.sessions.add(new SessionSummary("pika_old_0001", true, "Old", Instant.parse("2026-01-15T20:00:00Z"), NOW, QUEEN, null, 9, false, null));
    Client c = connect("c1");
    c.sendAndWait("{\"type\":\"GET_SESSIONS\",\"clientId\":\"client_1\",\"messageId\":\"g1\"}");
    String list = c.next();
    assertTrue(list.indexOf("pika_old_0001") < list.indexOf("pika_new_0001"), list);
    assertEquals(ack("g1"), c.next());
    assertTrue(fanout.lobby.contains(c.connection()));

    fanout.publish(new SessionFeed.Published(OTHER, new SessionMessage.SessionStarted(OTHER, 2, "DJ X", NOW), SessionFeed.Audience.LOBBY, null, 0));
    assertTrue(c.next().startsWith("{\"type\":\"SESSION_STARTED\",\"sessionId\":\"" + OTHER + "\""));
    // the lobby watcher is effective only without a subscription
    subscribe(c, S, "client_1");
    assertFalse(fanout.lobby.contains(c.connection()));
  }

  @Test
  void sessionsListIsCappedAt500() throws Exception {
    for (int i = 0; i < 510; i++) {
      directory.sessions.add(new SessionSummary(String.format("pika_%08d", i), true, "D", NOW.plusSeconds(i), NOW, null, null, 0, true, null));
    }
    Client c = connect("c1");
    c.sendAndWait("{\"type\":\"SUBSCRIBE\"}");
    String list = c.next();
    assertTrue(list.contains("pika_00000499"));
    assertFalse(list.contains("pika_00000500"));
  }

  @Test
  void subscribedSessionEndingDropsTheSubscriptionAndReturnsToTheLobby() throws Exception {
    Client c = connect("c1");
    c.sendAndWait("{\"type\":\"GET_SESSIONS\"}");
    c.next();
    subscribe(c, S, "client_1");
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.SessionEnded(S, 300), SessionFeed.Audience.LOBBY, null, 0));
    assertEquals("{\"type\":\"SESSION_ENDED\",\"sessionId\":\"" + S + "\",\"seq\":300}", c.next());
    assertFalse(fanout.follows(S, c.connection()));
    assertTrue(fanout.lobby.contains(c.connection()));
  }

  // ------------------------------------------------------------------ dancer actions (§4.3–§4.8)

  @Test
  void likeTargetsTheSubscribedSessionWithTheLockedClientId() throws Exception {
    Client c = connect("c1");
    c.sendAndWait("{\"type\":\"SEND_LIKE\",\"clientId\":\"client_first\",\"payload\":{\"track\":{\"title\":\"t\",\"artist\":\"a\"}},\"messageId\":\"l0\"}");
    assertEquals(nack("l0", SessionError.NO_ACTIVE_SESSION), c.next());
    subscribe(c, S, "client_other");
    CompletableFuture<Void> done =
        c.send("{\"type\":\"SEND_LIKE\",\"clientId\":\"client_third\",\"payload\":{\"track\":{\"title\":\"Queen of Loneliness\",\"artist\":\"Delta Dreambox\",\"bpm\":96}},\"messageId\":\"l1\"}");
    SessionCommand.DancerBatch batch = expect(S, SessionCommand.DancerBatch.class);
    DancerRequest.Like like = assertInstanceOf(DancerRequest.Like.class, batch.requests().get(0));
    assertEquals("client_first", like.clientId(), "the first valid clientId is locked (§1.2.4)");
    assertEquals(QUEEN, like.track());
    batch.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.rejected(SessionError.ALREADY_LIKED))));
    await(done);
    assertEquals(nack("l1", SessionError.ALREADY_LIKED), c.next());
  }

  @Test
  void likeWithExplicitSessionIdWithoutClientIdGoesToTheEntity() throws Exception {
    Client c = connect("c1");
    CompletableFuture<Void> done = c.send("{\"type\":\"SEND_LIKE\",\"sessionId\":\"" + S + "\",\"payload\":{\"track\":{\"title\":\"t\",\"artist\":\"a\"}}}");
    SessionCommand.DancerBatch batch = expect(S, SessionCommand.DancerBatch.class);
    assertNull(((DancerRequest.Like) batch.requests().get(0)).clientId(), "liveness is checked before the clientId (§4.3)");
    batch.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.rejected(SessionError.CLIENT_ID_REQUIRED_LIKES))));
    await(done);
    assertEquals(error(SessionError.CLIENT_ID_REQUIRED_LIKES), c.next());
  }

  @Test
  void bulkLikeAndRemoveLikeNeedTargetAndClientId() throws Exception {
    Client c = connect("c1");
    c.sendAndWait("{\"type\":\"SEND_BULK_LIKE\",\"sessionId\":\"" + S + "\",\"payload\":{\"tracks\":[]},\"messageId\":\"b1\"}");
    assertEquals(nack("b1", SessionError.SESSION_OR_CLIENT_MISSING), c.next());
    c.sendAndWait("{\"type\":\"REMOVE_LIKE\",\"clientId\":\"client_1\",\"payload\":{\"track\":{\"title\":\"t\",\"artist\":\"a\"}}}");
    assertEquals(error(SessionError.SESSION_OR_CLIENT_MISSING), c.next());

    CompletableFuture<Void> done =
        c.send("{\"type\":\"SEND_BULK_LIKE\",\"sessionId\":\"" + S + "\",\"payload\":{\"tracks\":[{\"title\":\"t\",\"artist\":\"a\"}]},\"messageId\":\"b2\"}");
    SessionCommand.DancerBatch batch = expect(S, SessionCommand.DancerBatch.class);
    DancerRequest.BulkLike bulk = assertInstanceOf(DancerRequest.BulkLike.class, batch.requests().get(0));
    assertEquals("client_1", bulk.clientId());
    assertEquals(1, bulk.tracks().size());
    batch.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));
    await(done);
    assertEquals(ack("b2"), c.next());
  }

  @Test
  void tempoNeedsAClientIdFirst() throws Exception {
    Client c = connect("c1");
    c.sendAndWait("{\"type\":\"SEND_TEMPO_REQUEST\",\"sessionId\":\"s\",\"preference\":\"faster\",\"messageId\":\"t1\"}");
    assertEquals(nack("t1", SessionError.CLIENT_ID_REQUIRED_TEMPO), c.next());
    CompletableFuture<Void> done = c.send("{\"type\":\"SEND_TEMPO_REQUEST\",\"sessionId\":\"" + S + "\",\"preference\":\"clear\",\"clientId\":\"client_1\"}");
    DancerRequest.TempoVote vote =
        assertInstanceOf(DancerRequest.TempoVote.class, expect(S, SessionCommand.DancerBatch.class).requests().get(0));
    assertEquals("clear", vote.preference());
    assertEquals("client_1", vote.clientId());
    entity(S).expectNoMessage(Duration.ofMillis(50));
    done.cancel(false);
  }

  @Test
  void voteNeedsAClientIdAndASubscription() throws Exception {
    Client c = connect("c1");
    c.sendAndWait("{\"type\":\"VOTE_ON_POLL\",\"pollId\":412,\"optionIndex\":1,\"messageId\":\"v1\"}");
    assertEquals(nack("v1", SessionError.CLIENT_ID_REQUIRED_VOTE), c.next());
    c.sendAndWait("{\"type\":\"VOTE_ON_POLL\",\"pollId\":412,\"optionIndex\":1,\"clientId\":\"client_1\",\"messageId\":\"v2\"}");
    assertEquals(nack("v2", SessionError.POLL_NOT_FOUND_OR_ENDED), c.next());
    subscribe(c, S, "client_1");
    CompletableFuture<Void> done = c.send("{\"type\":\"VOTE_ON_POLL\",\"pollId\":412,\"optionIndex\":1,\"messageId\":\"v3\"}");
    SessionCommand.DancerBatch batch = expect(S, SessionCommand.DancerBatch.class);
    DancerRequest.PollVote vote = assertInstanceOf(DancerRequest.PollVote.class, batch.requests().get(0));
    assertEquals(412, vote.pollId());
    assertEquals(1.0, vote.optionIndex());
    // a leading-edge POLL_UPDATE published before the reply reaches the voter after its ACK (§1.7)
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.PollUpdate(S, 200, 412, List.of(0, 1), 1), SessionFeed.Audience.SESSION, null, 0));
    batch.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));
    await(done);
    assertEquals(ack("v3"), c.next());
    assertTrue(c.next().startsWith("{\"type\":\"POLL_UPDATE\""));
  }

  @Test
  void reactionIsRateKeyedByClientIdOrConnection() throws Exception {
    Client c = connect("c1");
    CompletableFuture<Void> done = c.send("{\"type\":\"SEND_REACTION\",\"sessionId\":\"" + S + "\",\"reaction\":\"thank_you\"}");
    SessionCommand.DancerBatch batch = expect(S, SessionCommand.DancerBatch.class);
    DancerRequest.Reaction reaction = assertInstanceOf(DancerRequest.Reaction.class, batch.requests().get(0));
    assertEquals("connection:c1", reaction.rateKey());
    batch.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));
    await(done);
    assertTrue(c.quiet(), "success without messageId is not acknowledged");
  }

  // ------------------------------------------------------------------ feed callbacks and close (§1.3, §7.6)

  @Test
  void djOnlyMessagesReachOnlyTheirTarget() throws Exception {
    Client dj = connect("dj");
    registerAsDj(dj, S);
    Client dancer = connect("dancer");
    subscribe(dancer, S, "client_1");
    fanout.publish(new SessionFeed.Published(S, new SessionMessage.TempoFeedback(S, 150, 1, 0, 0, 1), SessionFeed.Audience.DJ_ONLY, "dj", 0));
    assertEquals("{\"type\":\"TEMPO_FEEDBACK\",\"sessionId\":\"" + S + "\",\"seq\":150,\"faster\":1,\"slower\":0,\"perfect\":0,\"total\":1}", dj.next());
    assertTrue(dancer.quiet());
  }

  @Test
  void revokedDjRoleIsLostSilently() throws Exception {
    Client dj = connect("dj");
    registerAsDj(dj, S);
    dj.connection().onDjRoleRevoked(new SessionFeed.DjRoleRevoked(S, "dj"));
    assertTrue(dj.quiet());
    assertFalse(fanout.follows(S, dj.connection()));
    dj.sendAndWait("{\"type\":\"END_POLL\",\"pollId\":1,\"messageId\":\"e\"}");
    assertEquals(nack("e", SessionError.UNAUTHORIZED_END_POLL), dj.next());
    dj.connection().onClosed();
    entity(S).expectNoMessage(Duration.ofMillis(200)); // its close has no effect on the session
  }

  @Test
  void recoveredSessionGetsReattachFromItsDjAndSubscribers() throws Exception {
    Client dj = connect("dj");
    registerAsDj(dj, S);
    Client dancer = connect("dancer");
    subscribe(dancer, S, "client_1");
    dj.connection().onRecovered(new SessionFeed.Recovered(S, "dj"));
    assertEquals(new SessionCommand.Reattach("dj", true, null), expect(S, SessionCommand.Reattach.class));
    dancer.connection().onRecovered(new SessionFeed.Recovered(S, "dj"));
    assertEquals(new SessionCommand.Reattach("dancer", false, "client_1"), expect(S, SessionCommand.Reattach.class));
  }

  @Test
  void closingDisconnectsTheDjAndLeavesTheListenerSet() throws Exception {
    Client c = connect("c1");
    registerAsDj(c, S);
    subscribe(c, OTHER, "client_1");
    c.connection().onClosed();
    assertEquals("c1", expect(S, SessionCommand.DjDisconnected.class).connectionId());
    DancerRequest.Unsubscribe leave =
        assertInstanceOf(DancerRequest.Unsubscribe.class, expect(OTHER, SessionCommand.DancerBatch.class).requests().get(0));
    assertEquals("client_1", leave.clientId());
    assertFalse(fanout.follows(S, c.connection()));
    assertFalse(fanout.follows(OTHER, c.connection()));
    assertFalse(fanout.lobby.contains(c.connection()));
  }

  @Test
  void aRegistrationAnsweredAfterTheSocketClosedReleasesTheDjRole() throws Exception {
    Client c = connect("c1");
    CompletableFuture<Void> done = c.send("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + S + "\"}");
    SessionCommand.Register register = expect(S, SessionCommand.Register.class);
    c.connection().onClosed();
    register.replyTo().tell(SessionReply.Accepted.empty());
    await(done);
    assertEquals("c1", expect(S, SessionCommand.DjDisconnected.class).connectionId());
    assertFalse(fanout.follows(S, c.connection()));
  }

  @Test
  void framesAfterACloseRequestAreIgnored() throws Exception {
    Client c = connect("c1");
    for (int i = 0; i < 21; i++) c.sendAndWait("x");
    c.channel().nextClose();
    List<String> before = new ArrayList<>(c.channel().frames);
    c.sendAndWait("{\"type\":\"PING\"}");
    assertEquals(before, new ArrayList<>(c.channel().frames));
  }
}
