package floorcast.session;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import floorcast.session.DancerBatchReply.DancerResult;
import floorcast.session.SessionMessage.*;
import floorcast.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session rules of protocol.md §3–§14, one test per rule, with serialization verification on. */
class DjSessionTest {
  static final Config CONFIG =
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseResources("serialization.conf"))
          .withFallback(ConfigFactory.parseString("pekko.actor.provider = local\npekko.coordinated-shutdown.exit-jvm = off"))
          .withFallback(ConfigFactory.load());
  static final ActorTestKit kit = ActorTestKit.create("DjSessionTest", CONFIG);
  static final AtomicInteger ids = new AtomicInteger();

  static final String DJ_CONN = "node1#1";
  static final String OTHER_CONN = "node1#2";
  static final TrackInfo QUEEN = new TrackInfo("Queen of Loneliness", "Delta Dreambox", 96.0, "Am", null, null, null, null, null);
  static final TrackInfo SWAY = TrackInfo.of("Sway", "Rosie Carney");

  MutableClock clock;
  ProbePublisher publisher;
  String sessionId;
  EventSourcedBehaviorTestKit<SessionCommand, SessionEvent, SessionState> testKit;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2026-01-15T20:20:00Z"));
    publisher = new ProbePublisher(kit);
    sessionId = "pika_test_" + ids.incrementAndGet();
    testKit = kitFor(SessionSettings.defaults());
  }

  EventSourcedBehaviorTestKit<SessionCommand, SessionEvent, SessionState> kitFor(SessionSettings settings) {
    return EventSourcedBehaviorTestKit.create(
        kit.system(), DjSession.create(sessionId, settings, publisher, SessionMetrics.NONE, SnapshotRetention.KEEP_ALL, clock, null));
  }

  // ------------------------------------------------------------------ helpers

  SessionReply register(String conn, String clientId, Long accountId) {
    return testKit
        .<SessionReply>runCommand(
            ref -> new SessionCommand.Register(conn, "DJ Smooth", accountId, accountId == null ? null : "DJ <Account>", clientId, "0.3.0", false, false, ref))
        .reply();
  }

  SessionReply dj(java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<SessionReply>, SessionCommand> cmd) {
    return testKit.<SessionReply>runCommand(cmd).reply();
  }

  SessionReply broadcast(TrackInfo track, String messageId) {
    return dj(ref -> new SessionCommand.BroadcastTrack(DJ_CONN, messageId, track, ref));
  }

  List<DancerResult> dancers(DancerRequest... requests) {
    return testKit
        .<DancerBatchReply>runCommand(ref -> new SessionCommand.DancerBatch(List.of(requests), ref))
        .reply()
        .results();
  }

  DancerResult dancer(DancerRequest request) {
    return dancers(request).get(0);
  }

  static SessionError error(Object reply) {
    if (reply instanceof SessionReply.Rejected r) return r.error();
    if (reply instanceof DancerBatchReply.Rejected r) return r.error();
    return null;
  }

  <T extends SessionMessage> T expectPublished(Class<T> type) {
    while (true) {
      SessionFeed f = publisher.feed.receiveMessage(Duration.ofSeconds(5));
      if (f instanceof SessionFeed.Published p && type.isInstance(p.message())) return type.cast(p.message());
    }
  }

  void liveSessionWithTrack() {
    assertInstanceOf(SessionReply.Accepted.class, register(DJ_CONN, "client_dj_00001", null));
    assertInstanceOf(SessionReply.Accepted.class, broadcast(QUEEN, "m-track-1"));
  }

  // ------------------------------------------------------------------ REGISTER_SESSION §3.1

  @Test
  void registerCreatesSessionWithRegisteredStartedAndListenerCount() {
    SessionReply.Accepted a = (SessionReply.Accepted) register(DJ_CONN, "client_1736970000000_x7k2p9q4r", null);
    SessionRegistered reg = (SessionRegistered) a.beforeAck().get(0);
    assertEquals("DJ Smooth", reg.djName());
    assertFalse(reg.authenticated());
    assertFalse(reg.resumed());
    assertEquals(2, a.afterAck().size());
    assertInstanceOf(SessionStarted.class, a.afterAck().get(0));
    assertEquals(0, ((ListenerCount) a.afterAck().get(1)).count());
    assertTrue(a.afterAck().get(0).seq() > reg.seq());
    SessionFeed.Published started = (SessionFeed.Published) publisher.feed.receiveMessage();
    assertEquals(SessionFeed.Audience.LOBBY, started.audience());
    SessionState.Live live = (SessionState.Live) testKit.getState();
    assertEquals("client_1736970000000_x7k2p9q4r", live.ownerClientId());
  }

  @Test
  void accountOwnedSessionTakesSafeDisplayNameAndIsAuthenticated() {
    SessionReply.Accepted a = (SessionReply.Accepted) register(DJ_CONN, null, 7L);
    SessionRegistered reg = (SessionRegistered) a.beforeAck().get(0);
    assertTrue(reg.authenticated());
    assertEquals("DJ Account", reg.djName());
  }

  @Test
  void resumeByOtherClientIdIsRefusedAndChangesNothing() {
    register(DJ_CONN, "client_owner_0001", null);
    long before = testKit.getState().seqReservedUpTo();
    SessionReply r = register(OTHER_CONN, "client_thief_0001", null);
    assertEquals(SessionError.SESSION_OWNED, error(r));
    assertEquals(DJ_CONN, ((SessionState.Live) testKit.getState()).djConnectionId());
    assertEquals(before, testKit.getState().seqReservedUpTo());
  }

  @Test
  void accountOwnedSessionResumesOnlyWithSameAccount() {
    register(DJ_CONN, null, 7L);
    assertEquals(SessionError.SESSION_OWNED, error(register(OTHER_CONN, null, 8L)));
    assertEquals(SessionError.SESSION_OWNED, error(register(OTHER_CONN, "client_x_000001", null)));
    SessionReply.Accepted ok = (SessionReply.Accepted) register(OTHER_CONN, null, 7L);
    assertTrue(((SessionRegistered) ok.beforeAck().get(0)).resumed());
    assertEquals(OTHER_CONN, ((SessionState.Live) testKit.getState()).djConnectionId());
  }

  @Test
  void weakOwnershipResumesOnlyWhenDjConnectionGoneOrSilent() {
    register(DJ_CONN, null, null);
    assertEquals(SessionError.SESSION_OWNED, error(register(OTHER_CONN, null, null)));
    clock.advance(Duration.ofSeconds(46));
    SessionReply.Accepted ok = (SessionReply.Accepted) register(OTHER_CONN, null, null);
    assertTrue(((SessionRegistered) ok.beforeAck().get(0)).resumed());
    // the previous connection silently lost its role
    SessionFeed revoked = publisher.feed.fishForMessage(Duration.ofSeconds(3), f ->
        f instanceof SessionFeed.DjRoleRevoked ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
            : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).get(0);
    assertEquals(DJ_CONN, ((SessionFeed.DjRoleRevoked) revoked).connectionId());
    assertEquals(SessionError.UNAUTHORIZED_TRACK_BROADCAST, error(broadcast(QUEEN, "m1")));
  }

  @Test
  void djDisconnectStartsGraceAndResumeAnnouncesDjBack() {
    register(DJ_CONN, "client_dj_00001", null);
    testKit.runCommand(new SessionCommand.DjDisconnected(DJ_CONN));
    assertFalse(((SessionState.Live) testKit.getState()).djConnected());
    assertFalse(expectPublished(DjStatus.class).connected());
    clock.advance(Duration.ofSeconds(30));
    SessionReply.Accepted ok = (SessionReply.Accepted) register(OTHER_CONN, "client_dj_00001", null);
    assertTrue(ok.afterAck().stream().anyMatch(m -> m instanceof DjStatus d && d.connected()));
    assertTrue(((SessionState.Live) testKit.getState()).djConnected());
  }

  @Test
  void staleCloseOfAnOldConnectionHasNoEffect() {
    register(DJ_CONN, "client_dj_00001", null);
    register(OTHER_CONN, "client_dj_00001", null);
    testKit.runCommand(new SessionCommand.DjDisconnected(DJ_CONN));
    assertTrue(((SessionState.Live) testKit.getState()).djConnected());
  }

  @Test
  void aRegistrationDeliveredAfterItsAskerGaveUpIsRefusedAndChangesNothing() {
    register(DJ_CONN, "client_dj_00001", null);
    long past = clock.instant().toEpochMilli() - 1;
    SessionReply late = testKit.<SessionReply>runCommand(ref -> new SessionCommand.Register(OTHER_CONN, "DJ Smooth", null, null, "client_dj_00001", "0.3.0", false, false, ref, past)).reply();
    assertEquals(SessionError.INTERNAL, error(late));
    assertEquals(DJ_CONN, ((SessionState.Live) testKit.getState()).djConnectionId());
  }

  @Test
  void importedIdIsEndedAndCapacityIsEnforcedForNewIds() {
    SessionReply imported = testKit.<SessionReply>runCommand(ref -> new SessionCommand.Register(DJ_CONN, null, null, null, null, null, true, false, ref)).reply();
    assertEquals(SessionError.SESSION_HAS_ENDED, error(imported));
    SessionReply full = testKit.<SessionReply>runCommand(ref -> new SessionCommand.Register(DJ_CONN, null, null, null, null, null, false, true, ref)).reply();
    assertInstanceOf(SessionReply.AtCapacity.class, full);
    assertInstanceOf(SessionState.Unregistered.class, testKit.getState());
  }

  @Test
  void endedIdCanNeverBeRegisteredAgain() {
    register(DJ_CONN, "client_dj_00001", null);
    dj(ref -> new SessionCommand.EndSession(DJ_CONN, "m-end", ref));
    assertEquals(SessionError.SESSION_HAS_ENDED, error(register(DJ_CONN, "client_dj_00001", null)));
  }

  // ------------------------------------------------------------------ DJ pipeline §3.0

  @Test
  void djCommandsOnUnknownSessionAreNotFound() {
    assertEquals(SessionError.SESSION_NOT_FOUND, error(broadcast(QUEEN, "m1")));
    assertInstanceOf(SessionState.Unregistered.class, testKit.getState());
  }

  @Test
  void djCommandsFromOtherConnectionsAreUnauthorizedWithTheirOwnText() {
    register(DJ_CONN, "client_dj_00001", null);
    assertEquals(SessionError.UNAUTHORIZED_TRACK_BROADCAST, error(dj(ref -> new SessionCommand.BroadcastTrack(OTHER_CONN, "a", QUEEN, ref))));
    assertEquals(SessionError.UNAUTHORIZED_METADATA_UPDATE, error(dj(ref -> new SessionCommand.UpdateMetadata(OTHER_CONN, "b", QUEEN, ref))));
    assertEquals(SessionError.UNAUTHORIZED_TRACK_STOP, error(dj(ref -> new SessionCommand.StopTrack(OTHER_CONN, "c", ref))));
    assertEquals(SessionError.UNAUTHORIZED_END_SESSION, error(dj(ref -> new SessionCommand.EndSession(OTHER_CONN, "d", ref))));
    assertEquals(SessionError.UNAUTHORIZED_ANNOUNCEMENT, error(dj(ref -> new SessionCommand.SendAnnouncement(OTHER_CONN, "e", "hi", null, ref))));
    assertEquals(SessionError.UNAUTHORIZED_CANCEL_ANNOUNCEMENT, error(dj(ref -> new SessionCommand.CancelAnnouncement(OTHER_CONN, "f", ref))));
    assertEquals(SessionError.UNAUTHORIZED_POLL, error(dj(ref -> new SessionCommand.StartPoll(OTHER_CONN, "g", 1, "Q?", List.of("a", "b"), null, ref))));
    assertEquals(SessionError.UNAUTHORIZED_END_POLL, error(dj(ref -> new SessionCommand.EndPoll(OTHER_CONN, "h", 1, ref))));
    assertEquals(SessionError.UNAUTHORIZED_CANCEL_POLL, error(dj(ref -> new SessionCommand.CancelPoll(OTHER_CONN, "i", null, ref))));
    assertNull(((SessionState.Live) testKit.getState()).currentTrack());
  }

  @Test
  void duplicateMessageIdIsAckedWithoutEffectEvenWithinTheThrottle() {
    register(DJ_CONN, "client_dj_00001", null);
    assertInstanceOf(SessionReply.Accepted.class, broadcast(QUEEN, "m-1"));
    var result = testKit.<SessionReply>runCommand(ref -> new SessionCommand.BroadcastTrack(DJ_CONN, "m-1", QUEEN, ref));
    assertEquals(SessionReply.Accepted.empty(), result.reply());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void dedupWindowSurvivesRecovery() {
    register(DJ_CONN, "client_dj_00001", null);
    broadcast(QUEEN, "m-1");
    testKit.restart();
    // after recovery the DJ connection re-attaches (§7.6)
    testKit.runCommand(new SessionCommand.Reattach(DJ_CONN, true, null));
    var result = testKit.<SessionReply>runCommand(ref -> new SessionCommand.BroadcastTrack(DJ_CONN, "m-1", QUEEN, ref));
    assertEquals(SessionReply.Accepted.empty(), result.reply());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void refusedCommandsAreNotRememberedForDedup() {
    register(DJ_CONN, "client_dj_00001", null);
    broadcast(QUEEN, "m-1");
    assertEquals(SessionError.RATE_LIMIT_TRACK, error(broadcast(SWAY, "m-2")));
    clock.advance(Duration.ofSeconds(5));
    assertInstanceOf(SessionReply.Accepted.class, broadcast(SWAY, "m-2"));
    assertEquals("Sway", ((SessionState.Live) testKit.getState()).currentTrack().title());
  }

  // ------------------------------------------------------------------ tracks §3.2–§3.4

  @Test
  void sameTrackMergesMetadataWithoutNewPlayOrTempoReset() {
    liveSessionWithTrack();
    clock.advance(Duration.ofSeconds(6));
    var result = testKit.<SessionReply>runCommand(ref -> new SessionCommand.BroadcastTrack(DJ_CONN, "m-2",
        new TrackInfo("queen of   LONELINESS", " delta dreambox", 97.5, null, 60.0, null, null, null, null), ref));
    SessionEvent.TrackRepeated ev = (SessionEvent.TrackRepeated) result.events().get(0);
    assertEquals("Queen of Loneliness", ev.track().title());
    assertEquals(97.5, ev.track().bpm());
    assertEquals("Am", ev.track().key());
    assertEquals(60.0, ev.track().energy());
    List<SessionMessage> after = ((SessionReply.Accepted) result.reply()).afterAck();
    assertEquals(1, after.size());
    assertInstanceOf(NowPlaying.class, after.get(0));
  }

  @Test
  void differentTrackTalliesTempoResetsAndRecordsPlay() {
    liveSessionWithTrack();
    dancers(new DancerRequest.TempoVote("client_a_000001", "faster", null), new DancerRequest.TempoVote("client_b_000001", "perfect", null));
    clock.advance(Duration.ofSeconds(6));
    var result = testKit.<SessionReply>runCommand(ref -> new SessionCommand.BroadcastTrack(DJ_CONN, "m-2", SWAY, ref));
    SessionEvent.TempoTallied tally = (SessionEvent.TempoTallied) result.events().get(0);
    assertEquals(1, tally.faster());
    assertEquals(1, tally.perfect());
    SessionEvent.TrackPlayed played = (SessionEvent.TrackPlayed) result.events().get(1);
    assertTrue(played.newPlay());
    List<SessionMessage> after = ((SessionReply.Accepted) result.reply()).afterAck();
    assertInstanceOf(TempoReset.class, after.get(after.size() - 2));
    assertInstanceOf(NowPlaying.class, after.get(after.size() - 1));
    assertTrue(((SessionState.Live) testKit.getState()).tempoVotes().isEmpty());
  }

  @Test
  void playsAreRecordedForABAButNotForAStopA() {
    liveSessionWithTrack();
    clock.advance(Duration.ofSeconds(6));
    dj(ref -> new SessionCommand.StopTrack(DJ_CONN, "s1", ref));
    clock.advance(Duration.ofSeconds(6));
    var again = testKit.<SessionReply>runCommand(ref -> new SessionCommand.BroadcastTrack(DJ_CONN, "m-2", QUEEN, ref));
    assertFalse(((SessionEvent.TrackPlayed) again.events().get(again.events().size() - 1)).newPlay());
    clock.advance(Duration.ofSeconds(6));
    broadcast(SWAY, "m-3");
    clock.advance(Duration.ofSeconds(6));
    var aba = testKit.<SessionReply>runCommand(ref -> new SessionCommand.BroadcastTrack(DJ_CONN, "m-4", QUEEN, ref));
    assertTrue(((SessionEvent.TrackPlayed) aba.events().get(aba.events().size() - 1)).newPlay());
  }

  @Test
  void metadataUpdateMergesOrIsRefused() {
    register(DJ_CONN, "client_dj_00001", null);
    assertEquals(SessionError.NO_TRACK, error(dj(ref -> new SessionCommand.UpdateMetadata(DJ_CONN, "u0", QUEEN, ref))));
    broadcast(QUEEN, "m-1");
    assertEquals(SessionError.TRACK_MISMATCH, error(dj(ref -> new SessionCommand.UpdateMetadata(DJ_CONN, "u1", SWAY, ref))));
    SessionReply.Accepted ok = (SessionReply.Accepted) dj(ref -> new SessionCommand.UpdateMetadata(DJ_CONN, "u2",
        new TrackInfo("QUEEN OF LONELINESS", "Delta Dreambox", 96.4, null, null, null, null, null, 0.0), ref));
    MetadataUpdated m = (MetadataUpdated) ok.afterAck().get(0);
    assertEquals("Queen of Loneliness", m.track().title());
    assertEquals(96.4, m.track().bpm());
    assertEquals(0.0, m.track().groove());
    assertEquals("Am", m.track().key());
  }

  @Test
  void stopClearsTrackAndBroadcastsStopThenReset() {
    liveSessionWithTrack();
    SessionReply.Accepted ok = (SessionReply.Accepted) dj(ref -> new SessionCommand.StopTrack(DJ_CONN, "s", ref));
    assertInstanceOf(SessionMessage.TrackStopped.class, ok.afterAck().get(0));
    assertInstanceOf(TempoReset.class, ok.afterAck().get(1));
    assertEquals(SessionError.NO_TRACK, error(dancer(new DancerRequest.TempoVote("client_a_000001", "faster", null))));
  }

  // ------------------------------------------------------------------ end §3.5 / §7.5

  @Test
  void endSessionClosesPollThenEndsAndKeepsDedup() {
    liveSessionWithTrack();
    dj(ref -> new SessionCommand.StartPoll(DJ_CONN, "p", 41, "Next?", List.of("A", "B"), null, ref));
    dancers(new DancerRequest.Subscribe("c1", "client_a_000001", null), new DancerRequest.PollVote("client_a_000001", 41, 1, null));
    var result = testKit.<SessionReply>runCommand(ref -> new SessionCommand.EndSession(DJ_CONN, "m-end", ref));
    SessionReply.Accepted ok = (SessionReply.Accepted) result.reply();
    List<SessionMessage> after = ok.afterAck();
    SessionMessage.PollEnded pe = (SessionMessage.PollEnded) after.stream().filter(m -> m instanceof SessionMessage.PollEnded).findFirst().orElseThrow();
    assertEquals(1, pe.winnerIndex());
    assertInstanceOf(SessionMessage.SessionEnded.class, after.get(after.size() - 1));
    assertInstanceOf(SessionState.Ended.class, testKit.getState());
    assertEquals("dj_ended", ((SessionState.Ended) testKit.getState()).reason());
    // a retry of the end is ACKed, other commands get Session not found
    assertEquals(SessionReply.Accepted.empty(), dj(ref -> new SessionCommand.EndSession(DJ_CONN, "m-end", ref)));
    assertEquals(SessionError.SESSION_NOT_FOUND, error(broadcast(SWAY, "m-x")));
    assertEquals(SessionError.NO_ACTIVE_SESSION, error(dancer(new DancerRequest.Like("client_a_000001", QUEEN, null))));
    assertInstanceOf(DancerBatchReply.NotLive.class, dancer(new DancerRequest.Subscribe("c2", "client_b_000001", null)));
  }

  // ------------------------------------------------------------------ announcements §3.6, §3.7, §12

  @Test
  void announcementsReplaceAndCancel() {
    register(DJ_CONN, "client_dj_00001", null);
    SessionReply.Accepted a = (SessionReply.Accepted) dj(ref -> new SessionCommand.SendAnnouncement(DJ_CONN, "a1", "Last dance!", 300, ref));
    AnnouncementReceived r = (AnnouncementReceived) a.afterAck().get(0);
    assertEquals(clock.instant().plusSeconds(300), r.endsAt());
    assertEquals("DJ Smooth", r.djName());
    SessionReply.Accepted c = (SessionReply.Accepted) dj(ref -> new SessionCommand.CancelAnnouncement(DJ_CONN, "a2", ref));
    assertInstanceOf(AnnouncementCancelled.class, c.afterAck().get(0));
    SessionReply.Accepted again = (SessionReply.Accepted) dj(ref -> new SessionCommand.CancelAnnouncement(DJ_CONN, "a3", ref));
    assertTrue(again.afterAck().isEmpty());
  }

  // ------------------------------------------------------------------ polls §3.8–§3.10, §4.7, §11

  @Test
  void pollsReplaceEndCancelAndVote() {
    register(DJ_CONN, "client_dj_00001", null);
    dancers(new DancerRequest.Subscribe("c1", "client_a_000001", null));
    SessionReply.Accepted started = (SessionReply.Accepted) dj(ref -> new SessionCommand.StartPoll(DJ_CONN, "p1", 10, "Next?", List.of("Blues", "Lyrical"), 120, ref));
    SessionMessage.PollStarted ps = (SessionMessage.PollStarted) started.afterAck().get(0);
    assertEquals(clock.instant().plusSeconds(120), ps.endsAt());
    assertNull(ps.votes());
    assertEquals(SessionError.INVALID_OPTION, error(dancer(new DancerRequest.PollVote("client_a_000001", 10, 2, null))));
    assertEquals(SessionError.INVALID_OPTION, error(dancer(new DancerRequest.PollVote("client_a_000001", 10, 0.5, null))));
    assertEquals(SessionError.POLL_NOT_FOUND_OR_ENDED, error(dancer(new DancerRequest.PollVote("client_a_000001", 11, 0, null))));
    assertEquals(SessionError.CLIENT_ID_REQUIRED_VOTE, error(dancer(new DancerRequest.PollVote(null, 10, 0, null))));
    assertInstanceOf(DancerBatchReply.Ok.class, dancer(new DancerRequest.PollVote("client_a_000001", 10, 1, null)));
    // a repeat vote is ACKed without change: the first vote stands
    assertInstanceOf(DancerBatchReply.Ok.class, dancer(new DancerRequest.PollVote("client_a_000001", 10, 0, null)));
    assertEquals(1, ((SessionState.Live) testKit.getState()).poll().voterOption().get("client_a_000001"));
    // the snapshot restores the own vote
    DancerBatchReply.Snapshot snap = (DancerBatchReply.Snapshot) dancer(new DancerRequest.Subscribe("c1", "client_a_000001", null));
    SessionMessage.PollStarted sp = (SessionMessage.PollStarted) snap.messages().stream().filter(m -> m instanceof SessionMessage.PollStarted).findFirst().orElseThrow();
    assertEquals(List.of(0, 1), sp.votes());
    assertEquals(true, sp.hasVoted());
    assertEquals(1, sp.votedOptionIndex());
    // starting another poll ends this one with reason replaced and its results
    SessionReply.Accepted replaced = (SessionReply.Accepted) dj(ref -> new SessionCommand.StartPoll(DJ_CONN, "p2", 11, "Tempo?", List.of("x", "y", "z"), null, ref));
    SessionMessage.PollEnded pe = (SessionMessage.PollEnded) replaced.afterAck().stream().filter(m -> m instanceof SessionMessage.PollEnded).findFirst().orElseThrow();
    assertEquals(10, pe.pollId());
    assertEquals(1, pe.winnerIndex());
    assertEquals(SessionError.POLL_NOT_FOUND, error(dj(ref -> new SessionCommand.EndPoll(DJ_CONN, "e0", 10, ref))));
    SessionReply.Accepted ended = (SessionReply.Accepted) dj(ref -> new SessionCommand.EndPoll(DJ_CONN, "e1", 11, ref));
    SessionMessage.PollEnded noVotes = (SessionMessage.PollEnded) ended.afterAck().get(ended.afterAck().size() - 1);
    assertEquals(-1, noVotes.winnerIndex());
    assertEquals(List.of(0, 0, 0), noVotes.results());
    assertEquals(SessionError.POLL_NOT_FOUND, error(dj(ref -> new SessionCommand.CancelPoll(DJ_CONN, "c0", null, ref))));
  }

  @Test
  void cancelPollWithoutIdCancelsActivePollWithZeros() {
    register(DJ_CONN, "client_dj_00001", null);
    dj(ref -> new SessionCommand.StartPoll(DJ_CONN, "p1", 20, "Q?", List.of("a", "b"), null, ref));
    dancers(new DancerRequest.PollVote("client_a_000001", 20, 0, null));
    SessionReply.Accepted c = (SessionReply.Accepted) dj(ref -> new SessionCommand.CancelPoll(DJ_CONN, "c1", null, ref));
    SessionMessage.PollEnded pe = (SessionMessage.PollEnded) c.afterAck().get(c.afterAck().size() - 1);
    assertEquals(List.of(0, 0), pe.results());
    assertEquals(0, pe.totalVotes());
    assertEquals(-1, pe.winnerIndex());
  }

  @Test
  void lateVotesAfterEndsAtAreRefused() {
    register(DJ_CONN, "client_dj_00001", null);
    dj(ref -> new SessionCommand.StartPoll(DJ_CONN, "p1", 30, "Q?", List.of("a", "b"), 30, ref));
    clock.advance(Duration.ofSeconds(30));
    assertEquals(SessionError.POLL_NOT_FOUND_OR_ENDED, error(dancer(new DancerRequest.PollVote("client_a_000001", 30, 0, null))));
  }

  // ------------------------------------------------------------------ likes §4.3–§4.5, §9

  @Test
  void likeRulesInSpecOrder() {
    liveSessionWithTrack();
    assertEquals(SessionError.CLIENT_ID_REQUIRED_LIKES, error(dancer(new DancerRequest.Like(null, QUEEN, null))));
    assertEquals(SessionError.TRACK_NOT_PLAYED, error(dancer(new DancerRequest.Like("client_a_000001", SWAY, null))));
    assertInstanceOf(DancerBatchReply.Ok.class, dancer(new DancerRequest.Like("client_a_000001", TrackInfo.of("  QUEEN of loneliness", "delta   dreambox "), null)));
    assertEquals(SessionError.ALREADY_LIKED, error(dancer(new DancerRequest.Like("client_a_000001", QUEEN, null))));
    LikeReceived lr = expectPublished(LikeReceived.class);
    assertEquals(1, lr.count());
    assertEquals(QUEEN, lr.track());
  }

  @Test
  void likesAreLimitedToTenPerMinuteCountingRefusedOnes() {
    liveSessionWithTrack();
    for (int i = 0; i < 10; i++) {
      assertNotEquals(SessionError.RATE_LIMIT_LIKES, error(dancer(new DancerRequest.Like("client_a_000001", SWAY, null))));
    }
    assertEquals(SessionError.RATE_LIMIT_LIKES, error(dancer(new DancerRequest.Like("client_a_000001", QUEEN, null))));
    clock.advance(Duration.ofSeconds(60));
    assertInstanceOf(DancerBatchReply.Ok.class, dancer(new DancerRequest.Like("client_a_000001", QUEEN, null)));
  }

  @Test
  void bulkLikesSkipUnplayedAndAlreadyLikedAndAreLimited() {
    liveSessionWithTrack();
    clock.advance(Duration.ofSeconds(6));
    broadcast(SWAY, "m-2");
    var result = testKit.<DancerBatchReply>runCommand(ref -> new SessionCommand.DancerBatch(List.of(
        new DancerRequest.BulkLike("client_a_000001", List.of(QUEEN, TrackInfo.of("Never", "Played"), SWAY, QUEEN), null)), ref));
    assertInstanceOf(DancerBatchReply.Ok.class, result.reply().results().get(0));
    SessionEvent.DancerActionsRecorded ev = (SessionEvent.DancerActionsRecorded) result.events().get(0);
    assertEquals(2, ev.actions().size());
    for (int i = 0; i < 4; i++) dancer(new DancerRequest.BulkLike("client_a_000001", List.of(QUEEN), null));
    assertEquals(SessionError.RATE_LIMIT_BULK, error(dancer(new DancerRequest.BulkLike("client_a_000001", List.of(QUEEN), null))));
    assertEquals(SessionError.SESSION_OR_CLIENT_MISSING, error(dancer(new DancerRequest.BulkLike(null, List.of(QUEEN), null))));
  }

  @Test
  void removeLikeAllowsLikingAgain() {
    liveSessionWithTrack();
    dancer(new DancerRequest.Like("client_a_000001", QUEEN, null));
    assertInstanceOf(DancerBatchReply.Ok.class, dancer(new DancerRequest.RemoveLike("client_a_000001", QUEEN, null)));
    assertFalse(((SessionState.Live) testKit.getState()).hasLiked("client_a_000001", QUEEN.trackKey()));
    assertInstanceOf(DancerBatchReply.Ok.class, dancer(new DancerRequest.Like("client_a_000001", QUEEN, null)));
    assertEquals(SessionError.SESSION_OR_CLIENT_MISSING, error(dancer(new DancerRequest.RemoveLike(null, QUEEN, null))));
  }

  @Test
  void likeDedupSurvivesRecoveryAndDjReconnect() {
    liveSessionWithTrack();
    dancer(new DancerRequest.Like("client_a_000001", QUEEN, null));
    testKit.runCommand(new SessionCommand.DjDisconnected(DJ_CONN));
    register(OTHER_CONN, "client_dj_00001", null);
    testKit.restart();
    assertEquals(SessionError.ALREADY_LIKED, error(dancer(new DancerRequest.Like("client_a_000001", QUEEN, null))));
  }

  @Test
  void aBatchOfLikesIsOneEventWithTheirMessageIds() {
    liveSessionWithTrack();
    List<DancerRequest> batch = new ArrayList<>();
    for (int i = 0; i < 200; i++) batch.add(new DancerRequest.Like("client_" + i + "_abcdef", QUEEN, "like-" + i));
    var result = testKit.<DancerBatchReply>runCommand(ref -> new SessionCommand.DancerBatch(batch, ref));
    assertEquals(1, result.events().size());
    SessionEvent.DancerActionsRecorded ev = (SessionEvent.DancerActionsRecorded) result.events().get(0);
    assertEquals(200, ev.actions().size());
    assertEquals(200, ev.messageIds().size());
    assertTrue(result.reply().results().stream().allMatch(r -> r instanceof DancerBatchReply.Ok));
  }

  // ------------------------------------------------------------------ tempo §4.6, §10

  @Test
  void tempoVotesOverwriteClearAndAgeOut() {
    liveSessionWithTrack();
    assertEquals(SessionError.CLIENT_ID_REQUIRED_TEMPO, error(dancer(new DancerRequest.TempoVote(null, "faster", null))));
    dancers(new DancerRequest.TempoVote("client_a_000001", "faster", null), new DancerRequest.TempoVote("client_a_000001", "slower", null));
    SessionState.Live live = (SessionState.Live) testKit.getState();
    assertArrayEquals(new int[] {0, 1, 0, 1}, live.tempoAggregate(clock.instant(), SessionSettings.defaults()));
    TempoFeedback tf = expectPublished(TempoFeedback.class);
    assertEquals(1, tf.total());
    dancer(new DancerRequest.TempoVote("client_a_000001", "clear", null));
    live = (SessionState.Live) testKit.getState();
    assertEquals(0, live.tempoAggregate(clock.instant(), SessionSettings.defaults())[3]);
    dancer(new DancerRequest.TempoVote("client_b_000001", "perfect", null));
    clock.advance(Duration.ofSeconds(300));
    live = (SessionState.Live) testKit.getState();
    assertEquals(1, live.tempoAggregate(clock.instant(), SessionSettings.defaults())[3], "a vote exactly 300 s old still counts");
    clock.advance(Duration.ofMillis(1));
    assertEquals(0, live.tempoAggregate(clock.instant(), SessionSettings.defaults())[3]);
  }

  @Test
  void theDjHearsTheResetAggregateRightAfterATrackChangeOrStop() {
    liveSessionWithTrack();
    dancers(new DancerRequest.TempoVote("client_a_000001", "faster", null), new DancerRequest.TempoVote("client_b_000001", "slower", null));
    assertEquals(2, expectPublished(TempoFeedback.class).total());
    clock.advance(Duration.ofSeconds(6));
    broadcast(SWAY, "m-2");
    TempoFeedback reset = expectPublished(TempoFeedback.class);
    assertArrayEquals(new int[] {0, 0, 0, 0}, new int[] {reset.faster(), reset.slower(), reset.perfect(), reset.total()});
    dancer(new DancerRequest.TempoVote("client_a_000001", "perfect", null));
    assertEquals(1, expectPublished(TempoFeedback.class).perfect());
    clock.advance(Duration.ofSeconds(6));
    dj(ref -> new SessionCommand.StopTrack(DJ_CONN, "s", ref));
    assertEquals(0, expectPublished(TempoFeedback.class).total());
  }

  @Test
  void dancerActionsShareThirtyPerMinute() {
    liveSessionWithTrack();
    for (int i = 0; i < 10; i++) dancer(new DancerRequest.TempoVote("client_a_000001", "faster", null));
    for (int i = 0; i < 10; i++) dancer(new DancerRequest.Reaction("client_a_000001", null));
    for (int i = 0; i < 10; i++) dancer(new DancerRequest.RemoveLike("client_a_000001", QUEEN, null));
    assertEquals(SessionError.RATE_LIMIT_ACTIONS, error(dancer(new DancerRequest.PollVote("client_a_000001", 1, 0, null))));
    assertEquals(SessionError.RATE_LIMIT_ACTIONS, error(dancer(new DancerRequest.Reaction("client_a_000001", null))));
  }

  // ------------------------------------------------------------------ subscribe, listeners §4.1, §8

  @Test
  void subscribeSnapshotOrderAndListenerCounting() {
    liveSessionWithTrack();
    dj(ref -> new SessionCommand.SendAnnouncement(DJ_CONN, "a1", "Hello", null, ref));
    DancerBatchReply.Snapshot snap = (DancerBatchReply.Snapshot) dancer(new DancerRequest.Subscribe("c1", "client_a_000001", null));
    List<SessionMessage> m = snap.messages();
    assertInstanceOf(SessionsList.class, m.get(0));
    assertEquals(1, ((SessionsList) m.get(0)).sessions().size());
    assertInstanceOf(NowPlaying.class, m.get(1));
    assertInstanceOf(AnnouncementReceived.class, m.get(2));
    assertEquals(1, ((ListenerCount) m.get(3)).count());
    assertTrue(((DjStatus) m.get(4)).connected());
    for (int i = 2; i < m.size(); i++) assertTrue(m.get(i).seq() > m.get(i - 1).seq());
    // a second tab of the same client counts once; a repeated subscribe does not count twice
    dancers(new DancerRequest.Subscribe("c2", "client_a_000001", null), new DancerRequest.Subscribe("c1", "client_a_000001", null));
    SessionState.Live live = (SessionState.Live) testKit.getState();
    assertEquals(1, live.listenerCount(clock.instant(), SessionSettings.defaults()));
    dancers(new DancerRequest.Unsubscribe("c1", "client_a_000001", null), new DancerRequest.Unsubscribe("c2", "client_a_000001", null));
    live = (SessionState.Live) testKit.getState();
    assertFalse(live.listeners().get("client_a_000001").connected());
    assertEquals(1, live.listenerCount(clock.instant(), SessionSettings.defaults()), "sticky for 5 minutes");
    clock.advance(Duration.ofSeconds(301));
    assertEquals(0, live.listenerCount(clock.instant(), SessionSettings.defaults()));
  }

  @Test
  void subscribeToUnknownSessionIsNotLive() {
    assertInstanceOf(DancerBatchReply.NotLive.class, dancer(new DancerRequest.Subscribe("c1", "client_a_000001", null)));
    assertInstanceOf(SessionState.Unregistered.class, testKit.getState());
  }

  // ------------------------------------------------------------------ seq §1.5

  @Test
  void seqNeverRepeatsAcrossRecovery() {
    liveSessionWithTrack();
    DancerBatchReply.Snapshot s1 = (DancerBatchReply.Snapshot) dancer(new DancerRequest.Subscribe("c1", "client_a_000001", null));
    long max1 = s1.messages().stream().mapToLong(SessionMessage::seq).max().orElseThrow();
    testKit.restart();
    DancerBatchReply.Snapshot s2 = (DancerBatchReply.Snapshot) dancer(new DancerRequest.Subscribe("c1", "client_a_000001", null));
    long min2 = s2.messages().stream().mapToLong(SessionMessage::seq).filter(s -> s > 0).min().orElseThrow();
    assertTrue(min2 > max1, min2 + " > " + max1);
  }

  // ------------------------------------------------------------------ durable timers with short settings

  @Test
  void graceTimeoutEndsSessionWithDjTimeout() {
    SessionSettings s = SessionSettings.defaults();
    SessionSettings shortGrace = new SessionSettings(Duration.ofMillis(300), s.trackThrottle(), s.dedupWindow(), s.dedupMaxIds(), s.likesPerMinute(), s.bulkLikesPerMinute(), s.bulkLikeMaxTracks(), s.actionsPerMinute(), s.tempoVoteLifetime(), s.tempoRecheck(), s.listenerSticky(), s.listenerPurge(), s.djSilentTakeover(), s.reattachWindow(), s.staleIdle(), s.staleAge(), s.maxAge(), s.staleCheck(), s.likeWindow(), s.reactionWindow(), s.pollUpdateWindow(), s.tempoWindow(), s.listenerWindow(), s.idlePassivation(), s.seqBlock(), s.snapshotEvery());
    testKit = kitFor(shortGrace);
    register(DJ_CONN, "client_dj_00001", null);
    testKit.runCommand(new SessionCommand.DjDisconnected(DJ_CONN));
    clock.advance(Duration.ofSeconds(1));
    // the real timer fires the tick; the rule reads the (advanced) clock
    expectPublished(SessionMessage.SessionEnded.class);
    assertEquals("dj_timeout", ((SessionState.Ended) testKit.getState()).reason());
  }

  @Test
  void pollTimerIsRearmedAfterRecoveryAndFiresAtOnceWhenPassed() {
    register(DJ_CONN, "client_dj_00001", null);
    dj(ref -> new SessionCommand.StartPoll(DJ_CONN, "p1", 50, "Q?", List.of("a", "b"), 30, ref));
    clock.advance(Duration.ofSeconds(31));
    testKit.restart();
    SessionMessage.PollEnded pe = expectPublished(SessionMessage.PollEnded.class);
    assertEquals(50, pe.pollId());
    assertNull(((SessionState.Live) testKit.getState()).poll());
  }

  @Test
  void staleSessionExpiresWithExpiredThenEnded() {
    register(DJ_CONN, "client_dj_00001", null);
    clock.advance(Duration.ofHours(24).plusSeconds(1));
    testKit.restart();
    SessionExpired ex = expectPublished(SessionExpired.class);
    assertEquals("Session expired due to inactivity or age limit", ex.reason());
    expectPublished(SessionMessage.SessionEnded.class);
    assertEquals("expired", ((SessionState.Ended) testKit.getState()).reason());
  }

  @Test
  void aPeriodicTickRepeatsNoListenerCountTheDjWasAlreadyGiven() {
    register(DJ_CONN, "client_dj_00001", null);
    testKit.runCommand(new SessionCommand.Tick());
    dancers(new DancerRequest.Subscribe("c1", "client_a_000001", null));
    assertEquals(1, expectPublished(ListenerCount.class).count(), "the first LISTENER_COUNT broadcast is the change");
  }

  @Test
  void listenerCountIsBroadcastWhenAStickyListenerAgesOut() {
    SessionSettings s = SessionSettings.defaults();
    SessionSettings shortSticky = new SessionSettings(s.djGrace(), s.trackThrottle(), s.dedupWindow(), s.dedupMaxIds(), s.likesPerMinute(), s.bulkLikesPerMinute(), s.bulkLikeMaxTracks(), s.actionsPerMinute(), s.tempoVoteLifetime(), s.tempoRecheck(), Duration.ofMillis(500), s.listenerPurge(), s.djSilentTakeover(), s.reattachWindow(), s.staleIdle(), s.staleAge(), s.maxAge(), s.staleCheck(), s.likeWindow(), s.reactionWindow(), s.pollUpdateWindow(), s.tempoWindow(), Duration.ofMillis(200), s.idlePassivation(), s.seqBlock(), s.snapshotEvery());
    testKit = kitFor(shortSticky);
    register(DJ_CONN, "client_dj_00001", null);
    dancers(new DancerRequest.Subscribe("c1", "client_a_000001", null));
    assertEquals(1, expectPublished(ListenerCount.class).count());
    dancers(new DancerRequest.Unsubscribe("c1", "client_a_000001", null));
    // the rule reads the clock: move it past the sticky period; the real tick timer fires at the entry's expiry
    clock.advance(Duration.ofSeconds(1));
    assertEquals(0, expectPublished(ListenerCount.class).count());
  }

  @Test
  void reactionsAreCoalescedWithCount() {
    liveSessionWithTrack();
    dancers(new DancerRequest.Reaction("client_a_000001", null), new DancerRequest.Reaction("client_b_000001", null));
    ReactionReceived first = expectPublished(ReactionReceived.class);
    assertEquals(2, first.count());
  }
}
