package floorcast.session;

import floorcast.session.CoalescingWindows.Kind;
import floorcast.session.SessionCommand.*;
import floorcast.session.SessionEvent.*;
import floorcast.session.SessionFeed.Audience;
import floorcast.session.SessionMessage.*;
import floorcast.session.SessionState.ActivePoll;
import floorcast.session.SessionState.ListenerEntry;
import floorcast.session.SessionState.Live;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.typed.JournalPersistFailed;
import org.apache.pekko.persistence.typed.JournalPersistRejected;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One DJ session: a cluster-sharded, event-sourced entity (entity id = session id) implementing the session rules
 * of protocol.md §3–§14 over the durable state of data.md §1.2. Every state change is persisted before it is
 * acknowledged and before anything it causes is published. Timers are re-armed from persisted instants after
 * every recovery. Coalescing, rate windows and live connection sets are transient (data.md §1.3).
 */
public final class DjSession
    extends EventSourcedBehaviorWithEnforcedReplies<SessionCommand, SessionEvent, SessionState> {

  /** Number of projection tags; events are tagged {@code session-<hash mod N>} for the read-side projections. */
  public static final int TAG_COUNT = 8;

  private static final String TICK = "tick";
  private static final String IDLE = "idle";
  private static final String EXPIRED_REASON = "Session expired due to inactivity or age limit";

  private final String sessionId;
  private final SessionSettings settings;
  private final SessionPublisher publisher;
  private final SessionMetrics metrics;
  private final SnapshotRetention snapshotRetention;
  private final SnapshotSchedule snapshots;
  private final Clock clock;
  private final ActorContext<SessionCommand> ctx;
  private final TimerScheduler<SessionCommand> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;

  // transient runtime state of this incarnation
  private final Map<String, Set<String>> liveConnections = new HashMap<>();
  private final SlidingRateWindow likeWindow = new SlidingRateWindow(60_000);
  private final SlidingRateWindow bulkWindow = new SlidingRateWindow(60_000);
  private final SlidingRateWindow actionWindow = new SlidingRateWindow(60_000);
  private final CoalescingWindows coalescing;
  private long seqNext = 1;
  private Instant lastDjActivity;
  private Instant recoveredAt;
  private Instant reattachDeadline;
  private boolean djReattached;
  private Instant lastSummaryAt = Instant.EPOCH;
  /** The listener count of §8, kept with the listener map by the event handler. */
  private final ListenerTally listenerTally = new ListenerTally();
  private final TempoTally tempoTally = new TempoTally();
  /** When the pending {@link Tick} fires (null: none pending). */
  private Instant tickDueAt;
  /** System.nanoTime() when the command being handled arrived (persist latency). */
  private long commandNanos;
  /** System.nanoTime() when this incarnation started recovering; 0 once recovered or after a journal failure. */
  private long recoveryStartNanos = System.nanoTime();
  /** True until recovery completes; meanwhile the event handler counts the events replayed after the snapshot. */
  private boolean recovering = true;
  private long replayedEvents;

  public static Behavior<SessionCommand> create(
      String sessionId,
      SessionSettings settings,
      SessionPublisher publisher,
      SessionMetrics metrics,
      SnapshotRetention snapshotRetention,
      Clock clock,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new DjSession(
                        sessionId, settings, publisher, metrics, snapshotRetention, clock, ctx, timers, shard)));
  }

  private DjSession(
      String sessionId,
      SessionSettings settings,
      SessionPublisher publisher,
      SessionMetrics metrics,
      SnapshotRetention snapshotRetention,
      Clock clock,
      ActorContext<SessionCommand> ctx,
      TimerScheduler<SessionCommand> timers,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    super(
        PersistenceId.of(SessionSharding.TYPE_KEY.name(), sessionId),
        Optional.of(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2)));
    this.sessionId = sessionId;
    this.settings = settings;
    this.publisher = publisher;
    this.metrics = metrics;
    this.snapshotRetention = snapshotRetention;
    this.snapshots = new SnapshotSchedule(settings.snapshotEvery());
    this.clock = clock;
    this.ctx = ctx;
    this.timers = timers;
    this.shard = shard;
    this.coalescing = new CoalescingWindows(settings);
  }

  public static String tagFor(String sessionId) {
    return "session-" + Math.floorMod(sessionId.hashCode(), TAG_COUNT);
  }

  @Override
  public SessionState emptyState() {
    return SessionState.empty();
  }

  /**
   * Only events the read side projects carry the tag. pekko-persistence-jdbc 1.1.1 writes a journal batch in which
   * any event is tagged row by row (an INSERT … RETURNING per event, then the tag rows); a batch of untagged events
   * is one multi-row INSERT. Listener joins and leaves, tempo votes, seq reservations and the other events no table
   * needs (data.md §3) are the bulk of a busy night's journal, so they stay untagged.
   */
  @Override
  public Set<String> tagsFor(SessionEvent event) {
    return projected(event) ? Set.of(tagFor(sessionId)) : Set.of();
  }

  /**
   * True for the events that change a read-side table ({@code floorcast.readside.SessionEventRows}): a
   * {@link DancerActionsRecorded} only when it holds a like, an unlike or a poll vote. An event that writes rows
   * there but is not tagged would never reach the read side ({@code TaggedEventsCoverRowsTest} checks every type).
   */
  public static boolean projected(SessionEvent event) {
    if (event instanceof DancerActionsRecorded d) {
      for (DancerAction a : d.actions()) {
        if (a instanceof SessionEvent.LikeAdded
            || a instanceof SessionEvent.LikeRemoved
            || a instanceof SessionEvent.PollVoteCast) {
          return true;
        }
      }
      return false;
    }
    if (event instanceof DjAttached a) return a.awayMs() != null;
    return !(event instanceof SeqReserved
        || event instanceof SessionEvent.TrackStopped
        || event instanceof SessionEvent.AnnouncementSet
        || event instanceof SessionEvent.AnnouncementCleared);
  }

  /**
   * No count-based retention: Pekko's would snapshot at every N-th event, whatever its kind, and hold that event's
   * reply and broadcasts until the snapshot is stored. {@link SnapshotSchedule} picks a dancer batch instead;
   * {@link SnapshotRetention} drops the older snapshots.
   */
  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.disabled();
  }

  /** Every {@code snapshot-every} events on a dancer batch, and always when the session ends (data.md §1.2). */
  @Override
  public boolean shouldSnapshot(SessionState state, SessionEvent event, long sequenceNr) {
    return snapshots.takeAfter(event, sequenceNr);
  }

  @Override
  public EventHandler<SessionState, SessionEvent> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent(
            (state, event) -> {
              if (recovering) replayedEvents++;
              SessionState after = state.apply(event, settings);
              listenerTally.advance(state, event, after);
              tempoTally.advance(state, event, after);
              return after;
            });
  }

  @Override
  public SignalHandler<SessionState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.class, (state, signal) -> onRecovered(state))
        .onSignal(
            SnapshotCompleted.class,
            (state, signal) ->
                snapshotRetention.snapshotStored(
                    signal.metadata().persistenceId(), signal.metadata().sequenceNr()))
        .onSignal(RecoveryFailed.class, (state, signal) -> metrics.journalError())
        .onSignal(
            JournalPersistFailed.class,
            (state, signal) -> {
              metrics.journalError();
              recoveryStartNanos = 0; // the restart's recovery includes the back-off: not timed
            })
        .onSignal(JournalPersistRejected.class, (state, signal) -> metrics.journalError())
        .build();
  }

  /** §7.6: re-arm timers from persisted instants; connections must re-attach within the re-attach window. */
  private void onRecovered(SessionState state) {
    if (recoveryStartNanos != 0) {
      metrics.recoveryTime(Duration.ofNanos(System.nanoTime() - recoveryStartNanos));
      recoveryStartNanos = 0;
    }
    seqNext = state.seqReservedUpTo() + 1;
    recovering = false;
    snapshots.recovered(lastSequenceNumber(ctx) - replayedEvents);
    Instant now = clock.instant();
    if (state instanceof Live live) {
      // one line per live session start: the "entity recovered" step of a fail-over (docs/benchmarks.md)
      ctx.getLog().info("live session {} recovered at seq {}", sessionId, state.seqReservedUpTo());
      boolean hadConnections =
          live.djConnected() || live.listeners().values().stream().anyMatch(ListenerEntry::connected);
      if (hadConnections) {
        recoveredAt = now;
        reattachDeadline = now.plus(settings.reattachWindow());
        djReattached = false;
      }
      lastDjActivity = now;
      publisher.publish(new SessionFeed.Recovered(sessionId, live.djConnected() ? live.djConnectionId() : null));
      publisher.summaryChanged(summary(live, now));
      lastSummaryAt = now;
      scheduleTick(live, now);
    } else {
      scheduleIdle();
    }
  }

  @Override
  public CommandHandlerWithReply<SessionCommand, SessionEvent, SessionState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onAnyCommand(this::handle);
  }

  private ReplyEffect<SessionEvent, SessionState> handle(SessionState state, SessionCommand command) {
    commandNanos = System.nanoTime();
    Instant now = clock.instant();
    if (!(state instanceof Live)) scheduleIdle();
    if (command instanceof Register r) return onRegister(state, r, now);
    if (command instanceof DjCommand c) return onDjCommand(state, c, now);
    if (command instanceof DancerBatch b) return onDancerBatch(state, b, now);
    if (command instanceof GetSummary g) return Effect().reply(g.replyTo(), summary(state, now));
    if (command instanceof GetState g) return Effect().reply(g.replyTo(), state);
    if (command instanceof DjDisconnected d) return onDjDisconnected(state, d, now);
    if (command instanceof DjHeartbeat h) {
      if (state instanceof Live live && h.connectionId().equals(live.djConnectionId())) {
        lastDjActivity = now;
        djReattached = true;
      }
      return Effect().noReply();
    }
    if (command instanceof Reattach r) return onReattach(state, r, now);
    if (command instanceof Tick) return onTick(state, now);
    if (command instanceof Flush f) return onFlush(state, Kind.valueOf(f.kind()), now);
    if (command instanceof IdleTimeout) {
      if (!(state instanceof Live) && shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
      return Effect().noReply();
    }
    if (command instanceof Passivate) return Effect().stop().thenNoReply();
    return Effect().noReply(); // WakeUp: starting the entity was the point
  }

  // ---------------------------------------------------------------- REGISTER_SESSION (§3.1)

  private ReplyEffect<SessionEvent, SessionState> onRegister(SessionState state, Register r, Instant now) {
    if (r.notAfterEpochMillis() != null && now.toEpochMilli() > r.notAfterEpochMillis()) {
      return Effect().reply(r.replyTo(), new SessionReply.Rejected(SessionError.INTERNAL));
    }
    if (state instanceof SessionState.Ended) {
      return Effect().reply(r.replyTo(), new SessionReply.Rejected(SessionError.SESSION_HAS_ENDED));
    }
    if (state instanceof SessionState.Unregistered) {
      if (r.knownInReadSide()) {
        return Effect().reply(r.replyTo(), new SessionReply.Rejected(SessionError.SESSION_HAS_ENDED));
      }
      if (r.atCapacity()) return Effect().reply(r.replyTo(), new SessionReply.AtCapacity());
      String djName = r.accountId() != null ? safeDisplayName(r.accountDisplayName()) : nameOrDefault(r);
      SessionCreated created =
          new SessionCreated(
              sessionId,
              djName,
              r.accountId(),
              r.accountId() == null ? r.clientId() : null,
              r.accountId() == null && r.clientId() == null,
              now,
              r.clientVersion() == null ? "0.3.0" : r.clientVersion(),
              r.connectionId());
      List<SessionEvent> events = new ArrayList<>();
      events.add(created);
      reserveSeqs(events, 8);
      lastDjActivity = now;
      return persist(events)
          .thenReply(
              r.replyTo(),
              st -> {
                Live live = (Live) st;
                List<SessionMessage> before = List.of(
                    new SessionRegistered(sessionId, nextSeq(), r.accountId() != null, live.djName(), false));
                List<Out> outs = new ArrayList<>();
                outs.add(Out.publish(seq -> new SessionStarted(sessionId, seq, live.djName(), live.startedAt()),
                    Audience.LOBBY));
                int listeners = listenerCount(live, now);
                outs.add(Out.direct(seq -> new ListenerCount(sessionId, seq, listeners)));
                // the DJ has been told; a periodic re-evaluation broadcasts LISTENER_COUNT only when it changed
                coalescing.lastListenerSent = listeners;
                List<SessionMessage> after = emit(live, outs, now, true);
                afterStateChange(live, now);
                return new SessionReply.Accepted(before, after);
              });
    }
    Live live = (Live) state;
    if (!mayResume(live, r, now)) {
      return Effect().reply(r.replyTo(), new SessionReply.Rejected(SessionError.SESSION_OWNED));
    }
    boolean sameConnection = r.connectionId().equals(live.djConnectionId()) && live.djConnected();
    boolean wasAway = !live.djConnected();
    String previous = live.djConnected() ? live.djConnectionId() : null;
    boolean authenticated = live.ownerUserId() != null && live.ownerUserId().equals(r.accountId());
    Long awayMs = wasAway ? Duration.between(live.djAwaySince(), now).toMillis() : null;
    List<SessionEvent> events = new ArrayList<>();
    events.add(new DjAttached(now, authenticated, awayMs, r.connectionId()));
    reserveSeqs(events, 8 + coalescing.pendingCount(), live);
    lastDjActivity = now;
    djReattached = true;
    return persist(events)
        .thenReply(
            r.replyTo(),
            st -> {
              Live after = (Live) st;
              if (previous != null && !sameConnection) {
                publisher.publish(new SessionFeed.DjRoleRevoked(sessionId, previous));
              }
              List<SessionMessage> before =
                  List.of(new SessionRegistered(sessionId, nextSeq(), authenticated, after.djName(), true));
              List<Out> outs = new ArrayList<>();
              if (wasAway) outs.add(Out.publish(seq -> new DjStatus(sessionId, seq, true), Audience.SESSION));
              outs.add(Out.direct(seq -> new ListenerCount(sessionId, seq, listenerCount(after, now))));
              if (after.currentTrack() != null) {
                int[] agg = tempoAggregate(after, now);
                coalescing.lastTempoSent = agg;
                outs.add(Out.direct(seq -> new TempoFeedback(sessionId, seq, agg[0], agg[1], agg[2], agg[3])));
              }
              List<SessionMessage> out = emit(after, outs, now, !sameConnection);
              afterStateChange(after, now);
              return new SessionReply.Accepted(before, out);
            });
  }

  /** §3.1 step 4: resume only by the owner; weak ownership only when the DJ connection is gone or silent. */
  private boolean mayResume(Live live, Register r, Instant now) {
    if (live.ownerUserId() != null) return live.ownerUserId().equals(r.accountId());
    if (live.ownerClientId() != null) return live.ownerClientId().equals(r.clientId());
    if (!live.djConnected() || r.connectionId().equals(live.djConnectionId())) return true;
    return lastDjActivity != null
        && !lastDjActivity.plus(settings.djSilentTakeover()).isAfter(now);
  }

  private static String nameOrDefault(Register r) {
    return r.requestedDjName() == null || r.requestedDjName().isBlank() ? "DJ" : r.requestedDjName();
  }

  /** A display name made safe for the wire (§3.1 step 2). */
  static String safeDisplayName(String name) {
    if (name == null) return "DJ";
    String s = TrackKey.jsTrim(name.replaceAll("[<>\"']", ""));
    if (s.length() > 100) s = s.substring(0, 100);
    return s.isEmpty() ? "DJ" : s;
  }

  // ---------------------------------------------------------------- DJ disconnect (§7.3) and re-attach (§7.6)

  private ReplyEffect<SessionEvent, SessionState> onDjDisconnected(
      SessionState state, DjDisconnected d, Instant now) {
    if (!(state instanceof Live live) || !live.djConnected() || !d.connectionId().equals(live.djConnectionId())) {
      return Effect().noReply();
    }
    List<SessionEvent> events = new ArrayList<>();
    events.add(new DjDetached(now, "disconnect"));
    reserveSeqs(events, 2 + coalescing.pendingCount(), live);
    return persist(events)
        .thenRun(
            st -> {
              Live after = (Live) st;
              emit(after, List.of(Out.publish(seq -> new DjStatus(sessionId, seq, false), Audience.SESSION)), now, true);
              afterStateChange(after, now);
            })
        .thenNoReply();
  }

  private ReplyEffect<SessionEvent, SessionState> onReattach(SessionState state, Reattach r, Instant now) {
    if (!(state instanceof Live live)) return Effect().noReply();
    if (r.dj() && r.connectionId().equals(live.djConnectionId()) && live.djConnected()) {
      djReattached = true;
      lastDjActivity = now;
    }
    String clientId = r.listenerClientId();
    if (clientId == null) return Effect().noReply();
    liveConnections.computeIfAbsent(clientId, k -> new HashSet<>()).add(r.connectionId());
    ListenerEntry entry = live.listeners().get(clientId);
    if (entry != null && entry.connected()) return Effect().noReply();
    List<SessionEvent> events =
        List.of(new DancerActionsRecorded(List.of(new ListenerJoined(clientId, now)), List.of()));
    return persist(events)
        .thenRun(
            st -> {
              offerCoalesced((Live) st, Kind.LISTENER, now);
              afterStateChange(st, now);
            })
        .thenNoReply();
  }

  // ---------------------------------------------------------------- DJ commands (§3.0 pipeline)

  private ReplyEffect<SessionEvent, SessionState> onDjCommand(SessionState state, DjCommand c, Instant now) {
    if (state instanceof SessionState.Unregistered) return reject(c.replyTo(), SessionError.SESSION_NOT_FOUND);
    if (state instanceof SessionState.Ended ended) {
      Instant at = c.messageId() == null ? null : ended.dedup().get(c.messageId());
      if (at != null && !at.plus(settings.dedupWindow()).isBefore(now)) {
        return Effect().reply(c.replyTo(), SessionReply.Accepted.empty());
      }
      return reject(c.replyTo(), SessionError.SESSION_NOT_FOUND);
    }
    Live live = (Live) state;
    if (!live.djConnected() || !c.connectionId().equals(live.djConnectionId())) {
      return reject(c.replyTo(), unauthorized(c));
    }
    lastDjActivity = now;
    if (live.isDuplicate(c.messageId(), now, settings)) {
      return Effect().reply(c.replyTo(), SessionReply.Accepted.empty());
    }
    if (c instanceof BroadcastTrack b) return onBroadcastTrack(live, b, now);
    if (c instanceof UpdateMetadata m) return onUpdateMetadata(live, m, now);
    if (c instanceof StopTrack s) return onStopTrack(live, s, now);
    if (c instanceof EndSession e) return endSession(live, "dj_ended", e.messageId(), now, e.replyTo());
    if (c instanceof SendAnnouncement a) return onSendAnnouncement(live, a, now);
    if (c instanceof CancelAnnouncement a) return onCancelAnnouncement(live, a, now);
    if (c instanceof StartPoll p) return onStartPoll(live, p, now);
    if (c instanceof EndPoll p) return onEndPoll(live, p, now);
    return onCancelPoll(live, (CancelPoll) c, now);
  }

  private static SessionError unauthorized(DjCommand c) {
    if (c instanceof BroadcastTrack) return SessionError.UNAUTHORIZED_TRACK_BROADCAST;
    if (c instanceof UpdateMetadata) return SessionError.UNAUTHORIZED_METADATA_UPDATE;
    if (c instanceof StopTrack) return SessionError.UNAUTHORIZED_TRACK_STOP;
    if (c instanceof EndSession) return SessionError.UNAUTHORIZED_END_SESSION;
    if (c instanceof SendAnnouncement) return SessionError.UNAUTHORIZED_ANNOUNCEMENT;
    if (c instanceof CancelAnnouncement) return SessionError.UNAUTHORIZED_CANCEL_ANNOUNCEMENT;
    if (c instanceof StartPoll) return SessionError.UNAUTHORIZED_POLL;
    if (c instanceof EndPoll) return SessionError.UNAUTHORIZED_END_POLL;
    return SessionError.UNAUTHORIZED_CANCEL_POLL;
  }

  private ReplyEffect<SessionEvent, SessionState> reject(ActorRef<SessionReply> to, SessionError error) {
    return Effect().reply(to, new SessionReply.Rejected(error));
  }

  /** §3.2 */
  private ReplyEffect<SessionEvent, SessionState> onBroadcastTrack(Live live, BroadcastTrack b, Instant now) {
    if (live.lastBroadcastAt() != null
        && Duration.between(live.lastBroadcastAt(), now).compareTo(settings.trackThrottle()) < 0) {
      return reject(b.replyTo(), SessionError.RATE_LIMIT_TRACK);
    }
    String key = b.track().trackKey();
    List<SessionEvent> events = new ArrayList<>();
    List<Out> outs = new ArrayList<>();
    if (live.currentTrack() != null && live.currentTrack().trackKey().equals(key)) {
      TrackInfo merged = live.currentTrack().mergedWith(b.track());
      events.add(new TrackRepeated(merged, now, b.messageId()));
      outs.add(Out.publish(seq -> new NowPlaying(sessionId, seq, live.djName(), merged), Audience.SESSION));
    } else {
      boolean replacing = live.currentTrack() != null;
      if (replacing) tally(live, now).ifPresent(events::add);
      events.add(new TrackPlayed(b.track(), key, !key.equals(live.lastPlayKey()), now, b.messageId()));
      if (replacing) outs.add(Out.publish(seq -> new TempoReset(sessionId, seq), Audience.SESSION));
      outs.add(Out.publish(seq -> new NowPlaying(sessionId, seq, live.djName(), b.track()), Audience.SESSION));
    }
    return persistAndReply(live, events, outs, b.replyTo(), now);
  }

  /** The tempo tally of the outgoing track, when it has counting votes (§10 reset). */
  private Optional<SessionEvent> tally(Live live, Instant now) {
    if (live.currentTrack() == null) return Optional.empty();
    int[] agg = tempoAggregate(live, now);
    if (agg[3] == 0) return Optional.empty();
    TrackInfo t = live.currentTrack();
    return Optional.of(new TempoTallied(t.artist(), t.title(), t.trackKey(), agg[0], agg[1], agg[2], now));
  }

  /** §3.3 */
  private ReplyEffect<SessionEvent, SessionState> onUpdateMetadata(Live live, UpdateMetadata m, Instant now) {
    if (live.currentTrack() == null) return reject(m.replyTo(), SessionError.NO_TRACK);
    String key = live.currentTrack().trackKey();
    if (!key.equals(m.track().trackKey())) return reject(m.replyTo(), SessionError.TRACK_MISMATCH);
    TrackInfo merged = live.currentTrack().mergedWith(m.track());
    TrackInfo fields =
        new TrackInfo(
            live.currentTrack().title(), live.currentTrack().artist(), m.track().bpm(), m.track().key(),
            m.track().energy(), m.track().danceability(), m.track().brightness(), m.track().acousticness(),
            m.track().groove());
    List<SessionEvent> events = List.of(new MetadataMerged(fields, merged, key, now, m.messageId()));
    List<Out> outs = List.of(Out.publish(seq -> new MetadataUpdated(sessionId, seq, merged), Audience.SESSION));
    return persistAndReply(live, events, outs, m.replyTo(), now);
  }

  /** §3.4 */
  private ReplyEffect<SessionEvent, SessionState> onStopTrack(Live live, StopTrack s, Instant now) {
    List<SessionEvent> events = new ArrayList<>();
    tally(live, now).ifPresent(events::add);
    events.add(new SessionEvent.TrackStopped(now, s.messageId()));
    List<Out> outs = new ArrayList<>();
    outs.add(Out.publish(seq -> new SessionMessage.TrackStopped(sessionId, seq), Audience.SESSION));
    if (live.currentTrack() != null) outs.add(Out.publish(seq -> new TempoReset(sessionId, seq), Audience.SESSION));
    return persistAndReply(live, events, outs, s.replyTo(), now);
  }

  /** §3.6 */
  private ReplyEffect<SessionEvent, SessionState> onSendAnnouncement(Live live, SendAnnouncement a, Instant now) {
    Instant endsAt = a.durationSeconds() == null ? null : now.plusSeconds(a.durationSeconds());
    List<SessionEvent> events = List.of(new AnnouncementSet(a.message(), now, endsAt, a.messageId()));
    List<Out> outs =
        List.of(
            Out.publish(
                seq -> new AnnouncementReceived(sessionId, seq, a.message(), live.djName(), now, endsAt),
                Audience.SESSION));
    return persistAndReply(live, events, outs, a.replyTo(), now);
  }

  /** §3.7 */
  private ReplyEffect<SessionEvent, SessionState> onCancelAnnouncement(
      Live live, CancelAnnouncement a, Instant now) {
    List<SessionEvent> events = List.of(new AnnouncementCleared("cancelled", now, a.messageId()));
    List<Out> outs =
        live.announcement() == null
            ? List.of()
            : List.of(Out.publish(seq -> new AnnouncementCancelled(sessionId, seq), Audience.SESSION));
    return persistAndReply(live, events, outs, a.replyTo(), now);
  }

  /** §3.8 */
  private ReplyEffect<SessionEvent, SessionState> onStartPoll(Live live, StartPoll p, Instant now) {
    List<SessionEvent> events = new ArrayList<>();
    List<Out> outs = new ArrayList<>();
    if (live.poll() != null) endPoll(live.poll(), "replaced", null, now, events, outs);
    Instant endsAt = p.durationSeconds() == null ? null : now.plusSeconds(p.durationSeconds());
    TrackInfo t = live.currentTrack();
    events.add(
        new SessionEvent.PollStarted(
            p.pollId(), p.question(), List.copyOf(p.options()), endsAt, t == null ? null : t.artist(),
            t == null ? null : t.title(), now, p.messageId()));
    outs.add(
        Out.publish(
            seq -> new SessionMessage.PollStarted(
                sessionId, seq, p.pollId(), p.question(), List.copyOf(p.options()), endsAt, null, null, null, null),
            Audience.SESSION));
    return persistAndReply(live, events, outs, p.replyTo(), now);
  }

  /** §3.9 */
  private ReplyEffect<SessionEvent, SessionState> onEndPoll(Live live, EndPoll p, Instant now) {
    if (live.poll() == null || live.poll().id() != p.pollId()) return reject(p.replyTo(), SessionError.POLL_NOT_FOUND);
    List<SessionEvent> events = new ArrayList<>();
    List<Out> outs = new ArrayList<>();
    endPoll(live.poll(), "ended", p.messageId(), now, events, outs);
    return persistAndReply(live, events, outs, p.replyTo(), now);
  }

  /** §3.10 */
  private ReplyEffect<SessionEvent, SessionState> onCancelPoll(Live live, CancelPoll p, Instant now) {
    if (live.poll() == null || (p.pollId() != null && live.poll().id() != p.pollId())) {
      return reject(p.replyTo(), SessionError.POLL_NOT_FOUND);
    }
    List<SessionEvent> events = new ArrayList<>();
    List<Out> outs = new ArrayList<>();
    endPoll(live.poll(), "cancelled", p.messageId(), now, events, outs);
    return persistAndReply(live, events, outs, p.replyTo(), now);
  }

  /** §11.2 end reasons: results are the tallies, except cancel (zeros, 0, -1). */
  private void endPoll(
      ActivePoll poll, String reason, String messageId, Instant now, List<SessionEvent> events, List<Out> outs) {
    events.add(new SessionEvent.PollEnded(poll.id(), reason, now, messageId));
    coalescing.pendingPoll = false; // a pending POLL_UPDATE is discarded when the poll ends
    List<Integer> results;
    int total;
    if ("cancelled".equals(reason)) {
      results = new ArrayList<>();
      for (int i = 0; i < poll.options().size(); i++) results.add(0);
      total = 0;
    } else {
      results = poll.tallies();
      total = poll.totalVotes();
    }
    int winner = "cancelled".equals(reason) ? -1 : ActivePoll.winnerIndex(results);
    List<Integer> fixed = List.copyOf(results);
    outs.add(
        Out.publish(seq -> new SessionMessage.PollEnded(sessionId, seq, poll.id(), fixed, total, winner),
            Audience.SESSION));
  }

  /** §7.5: one persisted transition, then pending coalesced, POLL_ENDED, SESSION_EXPIRED, SESSION_ENDED. */
  private ReplyEffect<SessionEvent, SessionState> endSession(
      Live live, String reason, String messageId, Instant now, ActorRef<SessionReply> replyTo) {
    List<SessionEvent> events = new ArrayList<>();
    List<Out> outs = new ArrayList<>();
    tally(live, now).ifPresent(events::add);
    if (live.poll() != null) endPoll(live.poll(), "session_ended", null, now, events, outs);
    if (live.announcement() != null) events.add(new AnnouncementCleared("session_ended", now, null));
    events.add(new SessionEvent.SessionEnded(reason, now, messageId));
    if ("expired".equals(reason)) {
      outs.add(Out.publish(seq -> new SessionExpired(sessionId, seq, EXPIRED_REASON), Audience.SESSION));
    }
    outs.add(Out.publish(seq -> new SessionMessage.SessionEnded(sessionId, seq), Audience.LOBBY));
    reserveSeqs(events, outs.size() + coalescing.pendingCount(), live);
    var effect = persist(events);
    if (replyTo == null) return effect.thenRun(st -> finishEnd(live, st, outs, now)).thenNoReply();
    return effect.thenReply(replyTo, st -> new SessionReply.Accepted(List.of(), finishEnd(live, st, outs, now)));
  }

  /** After the end is persisted: flush pending coalesced, publish the end messages, stop timers; what the DJ gets. */
  private List<SessionMessage> finishEnd(Live live, SessionState ended, List<Out> outs, Instant now) {
    List<SessionMessage> sent = emit(live, outs, now, true);
    liveConnections.clear();
    timers.cancel(TICK);
    publisher.summaryChanged(summary(ended, now));
    scheduleIdle();
    return sent;
  }

  /**
   * Persists {@code events}; the first callback records the persist latency of the command being handled (from its
   * arrival at the entity to the end of the write), before any reply or publish.
   */
  private EffectBuilder<SessionEvent, SessionState> persist(List<SessionEvent> events) {
    long received = commandNanos;
    return Effect()
        .persist(events)
        .thenRun(st -> metrics.persistLatency(Duration.ofNanos(System.nanoTime() - received)));
  }

  /** Persist, then publish the outs (flushing pending coalesced first), then ACK with what the DJ receives. */
  private ReplyEffect<SessionEvent, SessionState> persistAndReply(
      Live live, List<SessionEvent> events, List<Out> outs, ActorRef<SessionReply> replyTo, Instant now) {
    List<SessionEvent> all = new ArrayList<>(events);
    reserveSeqs(all, outs.size() + coalescing.pendingCount(), live);
    return persist(all)
        .thenReply(
            replyTo,
            st -> {
              Live after = (Live) st;
              List<SessionMessage> sent = outs.isEmpty() ? List.of() : emit(after, outs, now, true);
              // a track change or stop resets the votes: the DJ's TEMPO_FEEDBACK follows within its window when
              // the aggregate now differs from the last one sent (§10), not at the next periodic re-evaluation
              coalescing.pendingTempo = true;
              offerCoalesced(after, Kind.TEMPO, now);
              afterStateChange(after, now);
              return new SessionReply.Accepted(List.of(), sent);
            });
  }

  // ---------------------------------------------------------------- dancer actions (§4)

  private ReplyEffect<SessionEvent, SessionState> onDancerBatch(SessionState state, DancerBatch batch, Instant now) {
    List<DancerBatchReply.DancerResult> results = new ArrayList<>(batch.requests().size());
    if (!(state instanceof Live live)) {
      for (DancerRequest r : batch.requests()) results.add(notLiveResult(r));
      return Effect().reply(batch.replyTo(), new DancerBatchReply(results));
    }
    long nowMillis = now.toEpochMilli();
    List<DancerAction> actions = new ArrayList<>();
    List<String> messageIds = new ArrayList<>();
    // working copy: later requests of the batch see the effects of earlier ones
    Live working = live;
    boolean likes = false;
    boolean reactions = false;
    boolean poll = false;
    boolean tempo = false;
    boolean listeners = false;
    int subscribes = 0;
    List<Integer> snapshotSlots = new ArrayList<>();
    List<String> snapshotClients = new ArrayList<>();
    for (DancerRequest r : batch.requests()) {
      List<DancerAction> produced = new ArrayList<>();
      DancerBatchReply.DancerResult result;
      if (r instanceof DancerRequest.Subscribe s) {
        result = null; // built after persist
        subscribes++;
        snapshotSlots.add(results.size());
        snapshotClients.add(s.clientId());
        if (s.clientId() != null) {
          Set<String> conns = liveConnections.computeIfAbsent(s.clientId(), k -> new HashSet<>());
          conns.add(s.connectionId());
          ListenerEntry e = working.listeners().get(s.clientId());
          if (e == null || !e.connected()) {
            produced.add(new ListenerJoined(s.clientId(), now));
            listeners = true;
          }
        }
      } else if (r instanceof DancerRequest.Unsubscribe u) {
        result = DancerBatchReply.ok();
        if (u.clientId() != null) {
          Set<String> conns = liveConnections.get(u.clientId());
          if (conns != null && conns.remove(u.connectionId()) && conns.isEmpty()) {
            liveConnections.remove(u.clientId());
            ListenerEntry e = working.listeners().get(u.clientId());
            if (e != null && e.connected()) {
              produced.add(new ListenerLeft(u.clientId(), now));
              listeners = true;
            }
          }
        }
      } else if (r instanceof DancerRequest.Like l) {
        result = like(working, l, nowMillis, now, produced);
        likes |= !produced.isEmpty();
      } else if (r instanceof DancerRequest.BulkLike b) {
        result = bulkLike(working, b, nowMillis, now, produced);
        likes |= !produced.isEmpty();
      } else if (r instanceof DancerRequest.RemoveLike rl) {
        result = removeLike(working, rl, nowMillis, now, produced);
      } else if (r instanceof DancerRequest.TempoVote t) {
        result = tempoVote(working, t, nowMillis, now, produced);
        tempo |= result instanceof DancerBatchReply.Ok;
      } else if (r instanceof DancerRequest.PollVote v) {
        result = pollVote(working, v, nowMillis, now, produced);
        poll |= !produced.isEmpty();
      } else {
        DancerRequest.Reaction re = (DancerRequest.Reaction) r;
        if (!actionWindow.tryAcquire(re.rateKey(), nowMillis, settings.actionsPerMinute())) {
          result = DancerBatchReply.rejected(SessionError.RATE_LIMIT_ACTIONS);
        } else {
          result = DancerBatchReply.ok();
          coalescing.pendingReactions++;
          reactions = true;
        }
      }
      if (!produced.isEmpty()) {
        actions.addAll(produced);
        if (r.messageId() != null) messageIds.add(r.messageId());
        working =
            (Live) working.apply(new DancerActionsRecorded(List.copyOf(produced), List.of()), settings);
      }
      results.add(result);
    }
    final boolean likesTouched = likes;
    final boolean reactionsTouched = reactions;
    final boolean pollTouched = poll;
    final boolean tempoTouched = tempo;
    final boolean listenersTouched = listeners;
    List<SessionEvent> events = new ArrayList<>();
    if (!actions.isEmpty()) events.add(new DancerActionsRecorded(List.copyOf(actions), List.copyOf(messageIds)));
    int needed = subscribes * 8 + coalescing.pendingCount() + 8;
    reserveSeqs(events, needed, live);
    var effect = events.isEmpty() ? Effect().none() : persist(events);
    return effect.thenReply(
        batch.replyTo(),
        st -> {
          Live after = (Live) st;
          for (int i = 0; i < snapshotSlots.size(); i++) {
            results.set(snapshotSlots.get(i), new DancerBatchReply.Snapshot(snapshot(after, snapshotClients.get(i), now)));
          }
          if (pollTouched) coalescing.pendingPoll = true;
          if (tempoTouched) coalescing.pendingTempo = true;
          if (listenersTouched) coalescing.pendingListener = true;
          if (likesTouched) offerCoalesced(after, Kind.LIKE, now);
          if (reactionsTouched) offerCoalesced(after, Kind.REACTION, now);
          if (pollTouched) offerCoalesced(after, Kind.POLL, now);
          if (tempoTouched) offerCoalesced(after, Kind.TEMPO, now);
          if (listenersTouched) offerCoalesced(after, Kind.LISTENER, now);
          // Dancer actions change no field of the lobby summary but the listener count, which the coalesced
          // LISTENER emission publishes (≤ 1 per window). The only deadlines they add are the new entries' ageing
          // (a vote's lifetime, a left listener's sticky period), so the maps are rescanned only when one of those
          // falls before the pending tick.
          if (!events.isEmpty() && tickNeededBefore(now)) scheduleTick(after, now);
          return new DancerBatchReply(results);
        });
  }

  private static DancerBatchReply.DancerResult notLiveResult(DancerRequest r) {
    if (r instanceof DancerRequest.Subscribe) return new DancerBatchReply.NotLive();
    if (r instanceof DancerRequest.Unsubscribe) return DancerBatchReply.ok();
    if (r instanceof DancerRequest.Like) {
      return DancerBatchReply.rejected(SessionError.NO_ACTIVE_SESSION);
    }
    if (r instanceof DancerRequest.BulkLike b) {
      return DancerBatchReply.rejected(
          b.clientId() == null ? SessionError.SESSION_OR_CLIENT_MISSING : SessionError.NO_ACTIVE_SESSION);
    }
    if (r instanceof DancerRequest.RemoveLike rl) {
      return DancerBatchReply.rejected(
          rl.clientId() == null ? SessionError.SESSION_OR_CLIENT_MISSING : SessionError.NO_ACTIVE_SESSION);
    }
    if (r instanceof DancerRequest.TempoVote t) {
      return DancerBatchReply.rejected(
          t.clientId() == null ? SessionError.CLIENT_ID_REQUIRED_TEMPO : SessionError.SESSION_NOT_FOUND);
    }
    if (r instanceof DancerRequest.PollVote v) {
      return DancerBatchReply.rejected(
          v.clientId() == null ? SessionError.CLIENT_ID_REQUIRED_VOTE : SessionError.POLL_NOT_FOUND_OR_ENDED);
    }
    return DancerBatchReply.rejected(SessionError.SESSION_NOT_FOUND);
  }

  /** §4.3 */
  private DancerBatchReply.DancerResult like(
      Live live, DancerRequest.Like l, long nowMillis, Instant now, List<DancerAction> out) {
    if (l.clientId() == null) return DancerBatchReply.rejected(SessionError.CLIENT_ID_REQUIRED_LIKES);
    if (!likeWindow.tryAcquire(l.clientId(), nowMillis, settings.likesPerMinute())) {
      return DancerBatchReply.rejected(SessionError.RATE_LIMIT_LIKES);
    }
    String key = l.track().trackKey();
    if (!live.plays().containsKey(key)) return DancerBatchReply.rejected(SessionError.TRACK_NOT_PLAYED);
    if (live.hasLiked(l.clientId(), key)) return DancerBatchReply.rejected(SessionError.ALREADY_LIKED);
    out.add(new LikeAdded(l.clientId(), key, now));
    coalescing.pendingLikes.merge(key, 1, Integer::sum);
    return DancerBatchReply.ok();
  }

  /** §4.4 */
  private DancerBatchReply.DancerResult bulkLike(
      Live live, DancerRequest.BulkLike b, long nowMillis, Instant now, List<DancerAction> out) {
    if (b.clientId() == null) return DancerBatchReply.rejected(SessionError.SESSION_OR_CLIENT_MISSING);
    if (!bulkWindow.tryAcquire(b.clientId(), nowMillis, settings.bulkLikesPerMinute())) {
      return DancerBatchReply.rejected(SessionError.RATE_LIMIT_BULK);
    }
    Set<String> seen = new HashSet<>();
    List<TrackInfo> tracks = b.tracks();
    for (int i = 0; i < tracks.size() && i < settings.bulkLikeMaxTracks(); i++) {
      String key = tracks.get(i).trackKey();
      if (!live.plays().containsKey(key) || live.hasLiked(b.clientId(), key) || !seen.add(key)) continue;
      out.add(new LikeAdded(b.clientId(), key, now));
      coalescing.pendingLikes.merge(key, 1, Integer::sum);
    }
    return DancerBatchReply.ok();
  }

  /** §4.5 */
  private DancerBatchReply.DancerResult removeLike(
      Live live, DancerRequest.RemoveLike r, long nowMillis, Instant now, List<DancerAction> out) {
    if (r.clientId() == null) return DancerBatchReply.rejected(SessionError.SESSION_OR_CLIENT_MISSING);
    if (!actionWindow.tryAcquire(r.clientId(), nowMillis, settings.actionsPerMinute())) {
      return DancerBatchReply.rejected(SessionError.RATE_LIMIT_ACTIONS);
    }
    String key = r.track().trackKey();
    if (live.hasLiked(r.clientId(), key)) out.add(new LikeRemoved(r.clientId(), key, now));
    return DancerBatchReply.ok();
  }

  /** §4.6 */
  private DancerBatchReply.DancerResult tempoVote(
      Live live, DancerRequest.TempoVote t, long nowMillis, Instant now, List<DancerAction> out) {
    if (t.clientId() == null) return DancerBatchReply.rejected(SessionError.CLIENT_ID_REQUIRED_TEMPO);
    if (!actionWindow.tryAcquire(t.clientId(), nowMillis, settings.actionsPerMinute())) {
      return DancerBatchReply.rejected(SessionError.RATE_LIMIT_ACTIONS);
    }
    if (live.currentTrack() == null) return DancerBatchReply.rejected(SessionError.NO_TRACK);
    if ("clear".equals(t.preference())) {
      if (live.tempoVotes().containsKey(t.clientId())) out.add(new TempoVoteCleared(t.clientId(), now));
    } else {
      out.add(new TempoVoteSet(t.clientId(), t.preference(), now));
    }
    return DancerBatchReply.ok();
  }

  /** §4.7 */
  private DancerBatchReply.DancerResult pollVote(
      Live live, DancerRequest.PollVote v, long nowMillis, Instant now, List<DancerAction> out) {
    if (v.clientId() == null) return DancerBatchReply.rejected(SessionError.CLIENT_ID_REQUIRED_VOTE);
    if (!actionWindow.tryAcquire(v.clientId(), nowMillis, settings.actionsPerMinute())) {
      return DancerBatchReply.rejected(SessionError.RATE_LIMIT_ACTIONS);
    }
    ActivePoll poll = live.poll();
    if (poll == null || poll.id() != v.pollId() || !poll.openAt(now)) {
      return DancerBatchReply.rejected(SessionError.POLL_NOT_FOUND_OR_ENDED);
    }
    double idx = v.optionIndex();
    if (idx != Math.rint(idx) || idx < 0 || idx >= poll.options().size()) {
      return DancerBatchReply.rejected(SessionError.INVALID_OPTION);
    }
    if (poll.voterOption().containsKey(v.clientId())) return DancerBatchReply.ok();
    out.add(new PollVoteCast(poll.id(), v.clientId(), (int) idx, now));
    return DancerBatchReply.ok();
  }

  /** §4.1 step 3 snapshot, each message with a fresh seq (SESSIONS_LIST has none). */
  private List<SessionMessage> snapshot(Live live, String clientId, Instant now) {
    List<SessionMessage> out = new ArrayList<>(7);
    out.add(new SessionsList(sessionId, List.of(summary(live, now))));
    if (live.currentTrack() != null) out.add(new NowPlaying(sessionId, nextSeq(), live.djName(), live.currentTrack()));
    ActivePoll p = live.poll();
    if (p != null && p.openAt(now)) {
      Integer voted = clientId == null ? null : p.voterOption().get(clientId);
      out.add(
          new SessionMessage.PollStarted(
              sessionId, nextSeq(), p.id(), p.question(), p.options(), p.endsAt(), p.tallies(), p.totalVotes(),
              voted != null, voted));
    }
    SessionState.ActiveAnnouncement a = live.announcement();
    if (a != null && (a.endsAt() == null || a.endsAt().isAfter(now))) {
      out.add(new AnnouncementReceived(sessionId, nextSeq(), a.message(), live.djName(), a.timestamp(), a.endsAt()));
    }
    out.add(new ListenerCount(sessionId, nextSeq(), listenerCount(live, now)));
    out.add(new DjStatus(sessionId, nextSeq(), live.djConnected()));
    return out;
  }

  // ---------------------------------------------------------------- timers (§7.3, §7.4, §7.6, §10, §11, §12)

  private ReplyEffect<SessionEvent, SessionState> onTick(SessionState state, Instant now) {
    if (!(state instanceof Live live)) return Effect().noReply();
    long nowMillis = now.toEpochMilli();
    likeWindow.purge(nowMillis);
    bulkWindow.purge(nowMillis);
    actionWindow.purge(nowMillis);
    Instant grace = live.graceDeadline(settings);
    if (grace != null && !grace.isAfter(now)) return endSession(live, "dj_timeout", null, now, null);
    if (!live.staleAt(settings).isAfter(now)) return endSession(live, "expired", null, now, null);

    List<SessionEvent> events = new ArrayList<>();
    List<Out> outs = new ArrayList<>();
    if (reattachDeadline != null && !reattachDeadline.isAfter(now)) {
      reattachDeadline = null;
      if (live.djConnected() && !djReattached) {
        events.add(new DjDetached(recoveredAt, "recovery"));
        outs.add(Out.publish(seq -> new DjStatus(sessionId, seq, false), Audience.SESSION));
      }
      List<DancerAction> left = new ArrayList<>();
      for (Map.Entry<String, ListenerEntry> e : live.listeners().entrySet()) {
        if (e.getValue().connected() && !liveConnections.containsKey(e.getKey())) {
          left.add(new ListenerLeft(e.getKey(), recoveredAt));
        }
      }
      if (!left.isEmpty()) {
        events.add(new DancerActionsRecorded(left, List.of()));
        coalescing.pendingListener = true;
      }
    }
    if (live.poll() != null && live.poll().endsAt() != null && !live.poll().endsAt().isAfter(now)) {
      endPoll(live.poll(), "expired", null, now, events, outs);
    }
    SessionState.ActiveAnnouncement a = live.announcement();
    if (a != null && a.endsAt() != null && !a.endsAt().isAfter(now)) {
      events.add(new AnnouncementCleared("expired", now, null));
      outs.add(Out.publish(seq -> new AnnouncementCancelled(sessionId, seq), Audience.SESSION));
    }
    reserveSeqs(events, outs.size() + coalescing.pendingCount(), live);
    var effect = events.isEmpty() ? Effect().none() : persist(events);
    return effect
        .thenRun(
            st -> {
              if (!(st instanceof Live after)) return;
              if (!outs.isEmpty()) emit(after, outs, now, true);
              // ageing of tempo votes and sticky listeners may change the figures
              coalescing.pendingTempo = true;
              coalescing.pendingListener = true;
              offerCoalesced(after, Kind.TEMPO, now);
              offerCoalesced(after, Kind.LISTENER, now);
              if (!events.isEmpty() || Duration.between(lastSummaryAt, now).getSeconds() >= 30) {
                publisher.summaryChanged(summary(after, now));
                lastSummaryAt = now;
              }
              scheduleTick(after, now);
            })
        .thenNoReply();
  }

  private ReplyEffect<SessionEvent, SessionState> onFlush(SessionState state, Kind kind, Instant now) {
    if (!(state instanceof Live live) || !coalescing.pending(kind)) return Effect().noReply();
    List<SessionEvent> events = new ArrayList<>();
    reserveSeqs(events, coalescing.pendingCount(), live);
    var effect = events.isEmpty() ? Effect().none() : persist(events);
    return effect.thenRun(st -> emitPending((Live) st, kind, now)).thenNoReply();
  }

  /** Leading edge: emit at once if the window is open, else make sure a flush is scheduled (§14.1). */
  private void offerCoalesced(Live live, Kind kind, Instant now) {
    if (!coalescing.pending(kind)) return;
    Instant due = coalescing.dueAt(kind, now);
    if (!due.isAfter(now) && live.seqReservedUpTo() - seqNext + 1 >= coalescing.pendingCount()) {
      timers.cancel("flush-" + kind);
      emitPending(live, kind, now);
    } else if (!timers.isTimerActive("flush-" + kind)) {
      Duration delay = Duration.between(now, due);
      timers.startSingleTimer("flush-" + kind, new Flush(kind.name()), delay.isNegative() ? Duration.ZERO : delay);
    }
  }

  /** Emits the pending message(s) of one kind (only changed figures for tempo and listeners). */
  private void emitPending(Live live, Kind kind, Instant now) {
    List<Out> outs = new ArrayList<>();
    collectPending(live, kind, now, outs);
    if (outs.isEmpty()) return;
    coalescing.emitted(kind, now);
    publishOuts(live, outs);
    if (kind == Kind.LISTENER) {
      publisher.summaryChanged(summary(live, now));
      lastSummaryAt = now;
    }
  }

  private void collectPending(Live live, Kind kind, Instant now, List<Out> outs) {
    switch (kind) {
      case LIKE -> {
        int merged = 0;
        for (Map.Entry<String, Integer> e : coalescing.pendingLikes.entrySet()) {
          TrackInfo track = live.plays().get(e.getKey());
          int count = e.getValue();
          if (track != null) {
            outs.add(Out.publish(seq -> new LikeReceived(sessionId, seq, track, count), Audience.SESSION));
            merged += count - 1;
          }
        }
        coalescing.pendingLikes.clear();
        if (merged > 0) metrics.updatesCoalesced(merged);
      }
      case REACTION -> {
        int count = coalescing.pendingReactions;
        coalescing.pendingReactions = 0;
        if (count > 0) {
          outs.add(Out.publish(seq -> new ReactionReceived(sessionId, seq, "thank_you", count), Audience.SESSION));
          if (count > 1) metrics.updatesCoalesced(count - 1);
        }
      }
      case POLL -> {
        coalescing.pendingPoll = false;
        ActivePoll p = live.poll();
        if (p != null) {
          List<Integer> tallies = p.tallies();
          int total = p.totalVotes();
          outs.add(Out.publish(seq -> new PollUpdate(sessionId, seq, p.id(), tallies, total), Audience.SESSION));
        }
      }
      case TEMPO -> {
        coalescing.pendingTempo = false;
        if (!live.djConnected()) return;
        int[] agg = tempoAggregate(live, now);
        int[] last = coalescing.lastTempoSent;
        boolean changed =
            last == null ? agg[3] > 0 : (agg[0] != last[0] || agg[1] != last[1] || agg[2] != last[2]);
        if (changed) {
          coalescing.lastTempoSent = agg;
          outs.add(Out.publish(seq -> new TempoFeedback(sessionId, seq, agg[0], agg[1], agg[2], agg[3]),
              Audience.DJ_ONLY));
        }
      }
      case LISTENER -> {
        coalescing.pendingListener = false;
        int count = listenerCount(live, now);
        if (count != coalescing.lastListenerSent) {
          coalescing.lastListenerSent = count;
          outs.add(Out.publish(seq -> new ListenerCount(sessionId, seq, count), Audience.SESSION));
        }
      }
    }
  }

  private void scheduleTick(Live live, Instant now) {
    Instant next = now.plus(settings.tempoRecheck());
    next = earliest(next, live.poll() == null ? null : live.poll().endsAt());
    next = earliest(next, live.announcement() == null ? null : live.announcement().endsAt());
    next = earliest(next, live.graceDeadline(settings));
    next = earliest(next, live.staleAt(settings));
    next = earliest(next, reattachDeadline);
    next = earliest(next, live.nextTempoExpiry(now, settings));
    next = earliest(next, live.nextListenerExpiry(now, settings));
    Duration delay = Duration.between(now, next);
    timers.startSingleTimer(TICK, new Tick(), delay.isNegative() ? Duration.ZERO : delay);
    tickDueAt = next;
  }

  /** Whether an entry added at {@code now} may age out before the pending tick fires. */
  private boolean tickNeededBefore(Instant now) {
    if (tickDueAt == null || !timers.isTimerActive(TICK)) return true;
    Duration soonest =
        settings.tempoVoteLifetime().compareTo(settings.listenerSticky()) < 0
            ? settings.tempoVoteLifetime()
            : settings.listenerSticky();
    return now.plus(soonest).plusMillis(1).isBefore(tickDueAt);
  }

  private static Instant earliest(Instant a, Instant b) {
    return b != null && b.isBefore(a) ? b : a;
  }

  private void scheduleIdle() {
    timers.startSingleTimer(IDLE, new IdleTimeout(), settings.idlePassivation());
  }

  private void afterStateChange(SessionState st, Instant now) {
    if (st instanceof Live live) {
      scheduleTick(live, now);
      publisher.summaryChanged(summary(live, now));
      lastSummaryAt = now;
    }
  }

  // ---------------------------------------------------------------- emission and seq (§1.5, §14.1)

  /** A message to emit: {@code direct} ones go only into the reply, others are published too. */
  private record Out(LongFunction<SessionMessage> make, Audience audience, boolean direct) {
    static Out publish(LongFunction<SessionMessage> make, Audience audience) {
      return new Out(make, audience, false);
    }

    static Out direct(LongFunction<SessionMessage> make) {
      return new Out(make, null, true);
    }
  }

  /**
   * Assigns seqs and publishes, flushing pending coalesced messages first when {@code flushFirst}; returns every
   * message the DJ connection receives (for the reply's afterAck).
   */
  private List<SessionMessage> emit(Live live, List<Out> outs, Instant now, boolean flushFirst) {
    List<Out> all = new ArrayList<>();
    if (flushFirst) {
      for (Kind kind : Kind.values()) {
        if (!coalescing.pending(kind)) continue;
        int before = all.size();
        collectPending(live, kind, now, all);
        if (all.size() > before) coalescing.emitted(kind, now);
        timers.cancel("flush-" + kind);
      }
    }
    all.addAll(outs);
    return publishOuts(live, all);
  }

  private List<SessionMessage> publishOuts(Live live, List<Out> outs) {
    List<SessionMessage> toDj = new ArrayList<>(outs.size());
    List<SessionFeed.Published> published = new ArrayList<>(outs.size());
    long publishedAt = System.currentTimeMillis(); // for the fan-out latency metric, not a domain time
    for (Out o : outs) {
      SessionMessage m = o.make().apply(nextSeq());
      if (!o.direct()) {
        String target = o.audience() == Audience.DJ_ONLY ? live.djConnectionId() : null;
        published.add(new SessionFeed.Published(sessionId, m, o.audience(), target, publishedAt));
      }
      toDj.add(m);
    }
    if (!published.isEmpty()) publisher.publishAll(published);
    return toDj;
  }

  private long nextSeq() {
    return seqNext++;
  }

  /** Adds a {@link SeqReserved} when fewer than {@code needed} reserved values remain. */
  private void reserveSeqs(List<SessionEvent> events, int needed, SessionState state) {
    long remaining = state.seqReservedUpTo() - seqNext + 1;
    if (remaining < needed) {
      events.add(new SeqReserved(seqNext - 1 + Math.max(settings.seqBlock(), needed)));
    }
  }

  private void reserveSeqs(List<SessionEvent> events, int needed) {
    // a brand-new session: nothing reserved yet
    events.add(new SeqReserved(seqNext - 1 + Math.max(settings.seqBlock(), needed)));
  }

  // ---------------------------------------------------------------- summaries

  private int listenerCount(Live live, Instant now) {
    return listenerTally.count(live, now, settings.listenerSticky());
  }

  private int[] tempoAggregate(Live live, Instant now) {
    return tempoTally.aggregate(live, now, settings.tempoVoteLifetime());
  }

  private SessionSummary summary(SessionState state, Instant now) {
    if (state instanceof Live live) {
      SessionState.ActiveAnnouncement a = live.announcement();
      SessionSummary.Announcement ann =
          a == null || (a.endsAt() != null && !a.endsAt().isAfter(now))
              ? null
              : new SessionSummary.Announcement(a.message(), a.timestamp(), a.endsAt());
      return new SessionSummary(
          sessionId, true, live.djName(), live.startedAt(), live.lastActivityAt(), live.currentTrack(), ann,
          listenerCount(live, now), live.djConnected(), null);
    }
    if (state instanceof SessionState.Ended e) {
      return new SessionSummary(sessionId, false, e.djName(), e.startedAt(), e.endedAt(), null, null, 0, false,
          e.endedAt());
    }
    return SessionSummary.unknown(sessionId);
  }
}
