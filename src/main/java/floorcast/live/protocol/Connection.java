package floorcast.live.protocol;

import floorcast.account.DjAccount;
import floorcast.live.ClientChannel;
import floorcast.live.ConnectionHandler;
import floorcast.live.FeedListener;
import floorcast.live.RenderedMessage;
import floorcast.live.codec.ClientMessage;
import floorcast.live.codec.InboundFrame;
import floorcast.session.DancerBatchReply;
import floorcast.session.DancerRequest;
import floorcast.session.SessionCommand;
import floorcast.session.SessionError;
import floorcast.session.SessionFeed;
import floorcast.session.SessionMessage;
import floorcast.session.SessionReply;
import floorcast.session.SessionSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol logic of one WebSocket connection (protocol.md §1.2–§5): its state (§1.3), validation, dispatch to
 * the session entities, and the exact order of what it sends (§1.6, §1.7, §4.1).
 *
 * <p>Threads: {@link #onText} is called strictly sequentially by the transport (it waits for the returned stage),
 * fan-out callbacks arrive on the fan-out's thread, entity replies on pool threads. All state and every
 * {@code channel.send} happen under {@code lock}, so the socket sees one well-defined order. Follow/unfollow calls on
 * the node fan-out are made outside {@code lock} (the fan-out may hold its own locks while calling us).
 *
 * <p>Hold (§1.7): while a command to session S is in flight, S's fan-out messages are held; when the reply arrives
 * the connection sends its direct replies, the ACK, then the reply's {@code afterAck} merged with the held messages
 * in seq order. The {@link SeqGate} drops the second copy of anything that came both ways.
 *
 * <p>Metrics: every inbound message by type; every ACK/NACK of a valid message as a handled command with its latency
 * from arrival; outbound frames this connection sends directly (replies, snapshots, reply-only messages). Fan-out
 * copies are counted by the node fan-out (from {@link #onMessage}'s answer), so a broadcast the DJ receives both in
 * its reply and from the fan-out is counted once.
 */
public final class Connection implements ConnectionHandler, FeedListener {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final String DEFAULT_CLIENT_VERSION = "0.3.0"; // §3.1 telemetry default

  private final ClientChannel channel;
  private final ConnectionServices services;
  private final String connectionId;

  private final Object lock = new Object();
  // --- guarded by lock ---
  private String clientId; // locked on first valid clientId (§1.2.4)
  private String djSession; // session whose DJ connection this is
  private String subscribed; // session this connection is subscribed to
  private boolean lobbyWatcher; // set by GET_SESSIONS / SUBSCRIBE without sessionId; effective without subscription
  private String pendingFollow; // REGISTER/SUBSCRIBE target in flight: followed so nothing is missed
  private String holdSession; // fan-out messages of this session are held while a command is in flight
  private List<RenderedMessage> held = List.of(); // allocated on the first held message (most holds see none)
  private boolean closing; // we asked the channel to close: further frames are ignored
  private boolean closed; // the transport reported the socket gone
  private long lastHeartbeatNanos;
  private String commandType; // wire type of the valid message being handled, until its ACK/NACK
  private long commandNanos; // its arrival
  private final SeqGate gate = new SeqGate();
  private final InvalidMessageBudget invalidBudget;

  private final Object followLock = new Object();
  // --- guarded by followLock ---
  private final Set<String> followed = new HashSet<>();
  private boolean watchingLobby;

  public Connection(ClientChannel channel, ConnectionServices services) {
    this.channel = channel;
    this.services = services;
    this.connectionId = channel.connectionId();
    this.invalidBudget =
        new InvalidMessageBudget(services.settings().invalidMessagesPerMinute(), TimeUnit.SECONDS.toNanos(60));
    this.lastHeartbeatNanos = System.nanoTime() - services.settings().djHeartbeatInterval().toNanos();
  }

  @Override
  public String connectionId() {
    return connectionId;
  }

  // ---------------------------------------------------------------- inbound

  @Override
  public CompletionStage<Void> onText(String text) {
    long arrived = System.nanoTime();
    InboundFrame frame = services.inbound().decode(text);
    synchronized (lock) {
      if (closing || closed) return DONE;
      heartbeatIfDj();
      commandType = frame instanceof InboundFrame.Valid v ? v.type() : null;
      commandNanos = arrived;
      services.metrics().messageIn(commandType != null ? commandType : "invalid");
      if (frame instanceof InboundFrame.Invalid invalid) {
        fail(invalid.messageId(), invalid.text(), invalid.code());
        if (invalidBudget.recordAndExceeded(System.nanoTime())) {
          closeChannel(1008, "Too many invalid messages"); // §1.2
        }
        return DONE;
      }
    }
    InboundFrame.Valid valid = (InboundFrame.Valid) frame;
    String messageId = valid.messageId();
    if (valid.version() != null && log.isDebugEnabled()) {
      log.debug("connection {}: client version {}", connectionId, valid.version()); // §2: logged, never checked
    }
    CompletionStage<Void> handled;
    try {
      lockClientId(valid.clientId());
      handled = dispatch(valid);
    } catch (RuntimeException e) {
      handled = CompletableFuture.failedFuture(e);
    }
    return handled.handle(
        (ok, failure) -> {
          if (failure != null) {
            log.warn("connection {}: {} failed", connectionId, valid.message().getClass().getSimpleName(), failure);
            synchronized (lock) {
              fail(messageId, SessionError.INTERNAL);
              releaseHeld();
              pendingFollow = null;
            }
            refreshFollows();
          }
          return null;
        });
  }

  private void lockClientId(String offered) {
    if (offered == null) return;
    synchronized (lock) {
      if (clientId == null) {
        clientId = offered;
      } else if (!clientId.equals(offered)) {
        log.debug("connection {}: ignoring clientId {} (locked to {})", connectionId, offered, clientId);
      }
    }
  }

  // §3.1 step 4: the entity learns the DJ connection is alive from its inbound traffic (throttled)
  private void heartbeatIfDj() {
    if (djSession == null) return;
    long now = System.nanoTime();
    if (now - lastHeartbeatNanos >= services.settings().djHeartbeatInterval().toNanos()) {
      lastHeartbeatNanos = now;
      services.entities().tell(djSession, new SessionCommand.DjHeartbeat(connectionId));
    }
  }

  private CompletionStage<Void> dispatch(InboundFrame.Valid frame) {
    ClientMessage message = frame.message();
    String messageId = frame.messageId();
    if (message instanceof ClientMessage.RegisterSession m) return register(m, frame);
    if (message instanceof ClientMessage.BroadcastTrack m) {
      return djCommand(m.sessionId(), messageId, r -> new SessionCommand.BroadcastTrack(connectionId, messageId, m.track(), r));
    }
    if (message instanceof ClientMessage.UpdateMetadata m) {
      return djCommand(m.sessionId(), messageId, r -> new SessionCommand.UpdateMetadata(connectionId, messageId, m.track(), r));
    }
    if (message instanceof ClientMessage.StopTrack m) {
      return djCommand(m.sessionId(), messageId, r -> new SessionCommand.StopTrack(connectionId, messageId, r));
    }
    if (message instanceof ClientMessage.EndSession m) {
      return djCommand(m.sessionId(), messageId, r -> new SessionCommand.EndSession(connectionId, messageId, r));
    }
    if (message instanceof ClientMessage.SendAnnouncement m) {
      return djCommand(
          m.sessionId(),
          messageId,
          r -> new SessionCommand.SendAnnouncement(connectionId, messageId, m.message(), m.durationSeconds(), r));
    }
    if (message instanceof ClientMessage.CancelAnnouncement m) {
      return djCommand(m.sessionId(), messageId, r -> new SessionCommand.CancelAnnouncement(connectionId, messageId, r));
    }
    if (message instanceof ClientMessage.StartPoll m) return startPoll(m, messageId);
    if (message instanceof ClientMessage.EndPoll m) {
      String target = currentDjSession();
      if (target == null) return failNow(messageId, SessionError.UNAUTHORIZED_END_POLL); // §3.0 step 1
      return djCommand(target, messageId, r -> new SessionCommand.EndPoll(connectionId, messageId, m.pollId(), r));
    }
    if (message instanceof ClientMessage.CancelPoll m) {
      String target = m.sessionId() != null ? m.sessionId() : currentDjSession();
      if (target == null) return failNow(messageId, SessionError.UNAUTHORIZED_CANCEL_POLL); // §3.0 step 1
      return djCommand(target, messageId, r -> new SessionCommand.CancelPoll(connectionId, messageId, m.pollId(), r));
    }
    if (message instanceof ClientMessage.Subscribe m) return subscribe(m, messageId);
    if (message instanceof ClientMessage.GetSessions) return lobby(messageId);
    if (message instanceof ClientMessage.SendLike m) return like(m, messageId);
    if (message instanceof ClientMessage.SendBulkLike m) return bulkLike(m, messageId);
    if (message instanceof ClientMessage.RemoveLike m) return removeLike(m, messageId);
    if (message instanceof ClientMessage.SendTempoRequest m) return tempo(m, messageId);
    if (message instanceof ClientMessage.VoteOnPoll m) return vote(m, messageId);
    if (message instanceof ClientMessage.SendReaction m) return reaction(m, messageId);
    if (message instanceof ClientMessage.Ping) return ping(messageId);
    if (message instanceof ClientMessage.ValidateSession m) return validate(m, messageId);
    throw new IllegalStateException("unhandled message " + message);
  }

  private String currentDjSession() {
    synchronized (lock) {
      return djSession;
    }
  }

  private String currentClientId() {
    synchronized (lock) {
      return clientId;
    }
  }

  // ---------------------------------------------------------------- DJ messages (§3)

  // §3.1
  private CompletionStage<Void> register(ClientMessage.RegisterSession m, InboundFrame.Valid frame) {
    String messageId = frame.messageId();
    String target =
        m.sessionId() != null ? m.sessionId() : SessionIdGenerator.next(services.clock().millis());
    String version = frame.version() != null ? frame.version() : DEFAULT_CLIENT_VERSION;
    // step 1: an invalid token is treated as no token; a failing lookup is an internal error
    CompletionStage<Optional<DjAccount>> account =
        m.token() == null
            ? CompletableFuture.completedFuture(Optional.empty())
            : services.tokens().validate(m.token());
    CompletionStage<Boolean> known = services.readSide().exists(target);
    boolean atCapacity = services.liveSessions().count() >= services.settings().maxSessions();
    return account
        .thenCombine(known, (acc, knownInReadSide) -> new Object[] {acc, knownInReadSide})
        .thenCompose(
            pair -> {
              @SuppressWarnings("unchecked")
              Optional<DjAccount> acc = (Optional<DjAccount>) pair[0];
              boolean knownInReadSide = (Boolean) pair[1];
              if (m.token() != null && acc.isEmpty()) services.metrics().authFailure();
              Optional<Following> following = beginFollowing(target);
              if (following.isEmpty()) return DONE;
              String cid = following.get().clientId();
              CompletionStage<SessionReply> reply =
                  services
                      .entities()
                      .ask(
                          target,
                          r ->
                              new SessionCommand.Register(
                                  connectionId,
                                  m.djName(),
                                  acc.map(DjAccount::id).orElse(null),
                                  acc.map(DjAccount::displayName).orElse(null),
                                  cid,
                                  version,
                                  knownInReadSide,
                                  atCapacity,
                                  r,
                                  services.clock().millis() + services.settings().askTimeout().toMillis()));
              return reply.thenAccept(answer -> onRegisterReply(target, messageId, answer));
            });
  }

  private void onRegisterReply(String target, String messageId, SessionReply answer) {
    String previous = null;
    boolean lateForClosed = false;
    synchronized (lock) {
      pendingFollow = null;
      if (answer instanceof SessionReply.Accepted accepted) {
        if (closed) {
          lateForClosed = true;
        } else {
          if (djSession != null && !djSession.equals(target)) previous = djSession;
          djSession = target;
          lastHeartbeatNanos = System.nanoTime();
          completeAccepted(messageId, accepted);
        }
      } else if (answer instanceof SessionReply.Rejected rejected) {
        fail(messageId, rejected.error());
        releaseHeld();
        if (rejected.error() == SessionError.SESSION_HAS_ENDED) closeChannel(4410, "Session has ended"); // step 3
      } else if (answer instanceof SessionReply.AtCapacity) {
        releaseHeld();
        closeChannel(1013, "Server busy (max sessions reached)"); // step 5: no NACK
      }
    }
    if (lateForClosed) {
      // the socket closed while registering: the entity must not keep a dead DJ connection (§7.3)
      services.entities().tell(target, new SessionCommand.DjDisconnected(connectionId));
    }
    if (previous != null) {
      // step 6: the other session this connection was DJ of gets a DJ disconnect
      services.entities().tell(previous, new SessionCommand.DjDisconnected(connectionId));
    }
    refreshFollows();
  }

  @FunctionalInterface
  private interface DjCommandFactory {
    SessionCommand create(org.apache.pekko.actor.typed.ActorRef<SessionReply> replyTo);
  }

  // §3.0: the entity applies steps 2–6 in the spec's order; the connection only picks the target
  private CompletionStage<Void> djCommand(String target, String messageId, DjCommandFactory command) {
    synchronized (lock) {
      if (closed) return DONE;
      beginHold(target);
    }
    CompletionStage<SessionReply> reply = services.entities().ask(target, command::create);
    return reply.thenAccept(
        answer -> {
          synchronized (lock) {
            if (answer instanceof SessionReply.Accepted accepted) {
              completeAccepted(messageId, accepted);
            } else if (answer instanceof SessionReply.Rejected rejected) {
              fail(messageId, rejected.error());
              releaseHeld();
            } else {
              fail(messageId, SessionError.INTERNAL);
              releaseHeld();
            }
          }
          refreshFollows();
        });
  }

  // §3.8: the poll id is allocated before the command reaches the entity (§11.1)
  private CompletionStage<Void> startPoll(ClientMessage.StartPoll m, String messageId) {
    return services
        .pollIds()
        .next()
        .thenCompose(
            pollId ->
                djCommand(
                    m.sessionId(),
                    messageId,
                    r ->
                        new SessionCommand.StartPoll(
                            connectionId, messageId, pollId, m.question(), m.options(), m.durationSeconds(), r)));
  }

  // ---------------------------------------------------------------- dancer messages (§4)

  // §4.1
  private CompletionStage<Void> subscribe(ClientMessage.Subscribe m, String messageId) {
    if (m.sessionId() == null) return lobby(messageId); // step 1
    String target = m.sessionId();
    Optional<Following> following = beginFollowing(target);
    if (following.isEmpty()) return DONE;
    String cid = following.get().clientId();
    return services
        .dancers()
        .submit(target, new DancerRequest.Subscribe(connectionId, cid, messageId))
        .thenAccept(result -> onSubscribeResult(target, cid, messageId, result));
  }

  private void onSubscribeResult(
      String target, String cid, String messageId, DancerBatchReply.DancerResult result) {
    String leave = null;
    boolean lateForClosed = false;
    synchronized (lock) {
      pendingFollow = null;
      if (result instanceof DancerBatchReply.Snapshot snapshot) {
        if (closed) {
          lateForClosed = true;
        } else {
          if (subscribed != null && !subscribed.equals(target)) leave = subscribed; // §8 leave the old session
          subscribed = target;
          for (SessionMessage message : snapshot.messages()) deliverDirect(message);
          ack(messageId);
          releaseHeld();
        }
      } else if (result instanceof DancerBatchReply.NotLive) {
        // step 2: SESSION_ENDED without seq, ACK; any previous subscription is dropped, no listener registered
        if (subscribed != null) leave = subscribed;
        subscribed = null;
        sendDirect("SESSION_ENDED", services.outbound().sessionEndedWithoutSeq(target));
        ack(messageId);
        releaseHeld();
      } else if (result instanceof DancerBatchReply.Rejected rejected) {
        fail(messageId, rejected.error());
        releaseHeld();
      } else {
        fail(messageId, SessionError.INTERNAL);
        releaseHeld();
      }
    }
    if (lateForClosed) leave(target, cid);
    if (leave != null) leave(leave, cid);
    refreshFollows();
  }

  private void leave(String sessionId, String cid) {
    services.dancers().submit(sessionId, new DancerRequest.Unsubscribe(connectionId, cid, null));
  }

  // §4.2 (and §4.1 step 1)
  private CompletionStage<Void> lobby(String messageId) {
    String json = services.sessionsList().render(services.liveSessions(), services.outbound());
    synchronized (lock) {
      if (closed) return DONE;
      lobbyWatcher = true;
      sendDirect("SESSIONS_LIST", json);
      ack(messageId);
    }
    refreshFollows();
    return DONE;
  }

  // §4.3 step 1 needs only connection state when there is no target at all
  private CompletionStage<Void> like(ClientMessage.SendLike m, String messageId) {
    LikeTarget t = likeTarget(m.sessionId());
    if (t.sessionId() == null) return failNow(messageId, SessionError.NO_ACTIVE_SESSION);
    return dancer(t.sessionId(), messageId, new DancerRequest.Like(t.clientId(), m.track(), messageId));
  }

  /** §4.3–§4.5 target: the message's sessionId, else the subscribed session; with the locked clientId. */
  private record LikeTarget(String sessionId, String clientId) {}

  private LikeTarget likeTarget(String explicitSessionId) {
    synchronized (lock) {
      return new LikeTarget(explicitSessionId != null ? explicitSessionId : subscribed, clientId);
    }
  }

  // §4.4
  private CompletionStage<Void> bulkLike(ClientMessage.SendBulkLike m, String messageId) {
    LikeTarget t = likeTarget(m.sessionId());
    if (t.sessionId() == null || t.clientId() == null) return failNow(messageId, SessionError.SESSION_OR_CLIENT_MISSING);
    return dancer(t.sessionId(), messageId, new DancerRequest.BulkLike(t.clientId(), m.tracks(), messageId));
  }

  // §4.5
  private CompletionStage<Void> removeLike(ClientMessage.RemoveLike m, String messageId) {
    LikeTarget t = likeTarget(m.sessionId());
    if (t.sessionId() == null || t.clientId() == null) return failNow(messageId, SessionError.SESSION_OR_CLIENT_MISSING);
    return dancer(t.sessionId(), messageId, new DancerRequest.RemoveLike(t.clientId(), m.track(), messageId));
  }

  // §4.6: the clientId check comes first
  private CompletionStage<Void> tempo(ClientMessage.SendTempoRequest m, String messageId) {
    String cid = currentClientId();
    if (cid == null) return failNow(messageId, SessionError.CLIENT_ID_REQUIRED_TEMPO);
    return dancer(m.sessionId(), messageId, new DancerRequest.TempoVote(cid, m.preference(), messageId));
  }

  // §4.7: the poll must be the active poll of the connection's subscribed session
  private CompletionStage<Void> vote(ClientMessage.VoteOnPoll m, String messageId) {
    String target;
    String cid;
    synchronized (lock) {
      target = subscribed;
      cid = clientId;
    }
    if (cid == null) return failNow(messageId, SessionError.CLIENT_ID_REQUIRED_VOTE);
    if (target == null) return failNow(messageId, SessionError.POLL_NOT_FOUND_OR_ENDED);
    return dancer(target, messageId, new DancerRequest.PollVote(cid, m.pollId(), m.optionIndex(), messageId));
  }

  // §4.8: rate-limited by clientId, or by connection without one
  private CompletionStage<Void> reaction(ClientMessage.SendReaction m, String messageId) {
    String cid = currentClientId();
    String rateKey = cid != null ? cid : "connection:" + connectionId;
    return dancer(m.sessionId(), messageId, new DancerRequest.Reaction(rateKey, messageId));
  }

  private CompletionStage<Void> dancer(String target, String messageId, DancerRequest request) {
    synchronized (lock) {
      if (closed) return DONE;
      // hold only sessions this connection already receives (following others just for one like is wasteful)
      if (target.equals(subscribed) || target.equals(djSession)) beginHold(target);
    }
    return services
        .dancers()
        .submit(target, request)
        .thenAccept(
            result -> {
              synchronized (lock) {
                if (result instanceof DancerBatchReply.Ok) {
                  ack(messageId);
                } else if (result instanceof DancerBatchReply.Rejected rejected) {
                  fail(messageId, rejected.error());
                } else {
                  fail(messageId, SessionError.INTERNAL);
                }
                releaseHeld();
              }
            });
  }

  // ---------------------------------------------------------------- utility messages (§5)

  private CompletionStage<Void> ping(String messageId) {
    synchronized (lock) {
      sendDirect("PONG", services.outbound().pong());
      ack(messageId);
    }
    return DONE;
  }

  // isValid while the session is live. Always the entity's answer: the node's lobby directory follows the sessions
  // through pub/sub and may still list a session whose END_SESSION was just acknowledged (or not yet list a fresh
  // one)
  private CompletionStage<Void> validate(ClientMessage.ValidateSession m, String messageId) {
    CompletionStage<Boolean> valid =
        services
            .entities()
            .<SessionSummary>ask(m.sessionId(), SessionCommand.GetSummary::new)
            .thenApply(SessionSummary::live);
    return valid.thenAccept(
        isValid -> {
          synchronized (lock) {
            sendDirect("SESSION_VALID", services.outbound().sessionValid(m.sessionId(), isValid));
            ack(messageId);
          }
        });
  }

  // ---------------------------------------------------------------- fan-out side

  @Override
  public boolean onMessage(RenderedMessage message) {
    boolean ended;
    synchronized (lock) {
      if (closed) return false;
      if (anotherConnectionsOnly(message)) return false;
      if (message.sessionId().equals(holdSession)) return hold(message);
      if (!sendFeed(message)) return false;
      ended = noteEnd(message.message());
    }
    if (ended) services.executor().execute(this::refreshFollows);
    return true;
  }

  /** As {@link #onMessage} for each, in order; the frames this connection sends go to its channel together. */
  @Override
  public int onMessages(List<RenderedMessage> messages) {
    int taken = 0;
    boolean ended = false;
    synchronized (lock) {
      if (closed) return 0;
      String[] jsons = new String[messages.size()];
      SessionMessage[] sent = new SessionMessage[messages.size()];
      int n = 0;
      for (RenderedMessage message : messages) {
        if (anotherConnectionsOnly(message)) continue;
        if (message.sessionId().equals(holdSession)) {
          if (hold(message)) taken++;
          continue;
        }
        if (!admitFeed(message)) continue;
        jsons[n] = message.json();
        sent[n++] = message.message();
        taken++;
        ended |= noteEnd(message.message());
      }
      if (n > 0 && !closed) {
        channel.sendAll(jsons, sent, n);
        for (int i = 0; i < n && !closed; i++) {
          services.metrics().messagesOut(services.outbound().wireType(sent[i]), 1);
        }
      }
    }
    if (ended) services.executor().execute(this::refreshFollows);
    return taken;
  }

  /** A DJ-only message for another connection (the fan-out hands DJ-only messages of a batch to every follower). */
  private boolean anotherConnectionsOnly(RenderedMessage message) {
    return message.audience() == SessionFeed.Audience.DJ_ONLY && !connectionId.equals(message.targetConnectionId());
  }

  @Override
  public void onRecovered(SessionFeed.Recovered recovered) {
    String sessionId = recovered.sessionId();
    // a SUBSCRIBE or like of this node still in flight may have been lost with the old incarnation: send it again
    services.dancers().sessionRestarted(sessionId);
    boolean dj;
    boolean listener;
    String cid;
    synchronized (lock) {
      if (closed) return;
      dj = sessionId.equals(djSession);
      listener = sessionId.equals(subscribed);
      cid = clientId;
    }
    if (dj || listener) {
      // §7.6: re-attach transparently; the entity decides whether the DJ role is still ours
      services.entities().tell(sessionId, new SessionCommand.Reattach(connectionId, dj, listener ? cid : null));
    }
  }

  @Override
  public void onDjRoleRevoked(SessionFeed.DjRoleRevoked revoked) {
    boolean changed = false;
    synchronized (lock) {
      if (connectionId.equals(revoked.connectionId()) && revoked.sessionId().equals(djSession)) {
        djSession = null; // §3.1 step 4: silently
        changed = true;
      }
    }
    if (changed) services.executor().execute(this::refreshFollows);
  }

  // ---------------------------------------------------------------- close

  @Override
  public void onClosed() {
    String dj;
    String sub;
    String cid;
    synchronized (lock) {
      if (closed) return;
      closed = true;
      dj = djSession;
      sub = subscribed;
      cid = clientId;
      djSession = null;
      subscribed = null;
      lobbyWatcher = false;
      pendingFollow = null;
      holdSession = null;
      held = List.of();
    }
    // §1.3: DJ disconnect (§7.3), listener leave (§8), lobby membership ends
    if (dj != null) services.entities().tell(dj, new SessionCommand.DjDisconnected(connectionId));
    if (sub != null) leave(sub, cid);
    // off the caller's thread: the transport may report the close from inside a send made under this
    // connection's lock (lock order is followLock → lock)
    services.executor().execute(this::refreshFollows);
  }

  // ---------------------------------------------------------------- output (call with lock held)

  private void beginHold(String sessionId) {
    holdSession = sessionId;
    held = List.of();
  }

  /** False (not held) for a copy the seq gate would drop on release: already sent, or already held. */
  private boolean hold(RenderedMessage message) {
    if (!gate.passIfKnown(message.sessionId(), message.seq())) return false;
    for (RenderedMessage h : held) {
      if (h.seq() == message.seq() && message.seq() > 0) return false;
    }
    if (held.isEmpty()) held = new ArrayList<>(4);
    held.add(message);
    return true;
  }

  /** Held fan-out messages pass (in arrival order, which is seq order per session) through the gate. */
  private void releaseHeld() {
    List<RenderedMessage> pending = held;
    holdSession = null;
    held = List.of();
    for (RenderedMessage message : pending) {
      deliverFeed(message);
    }
  }

  /**
   * §1.7: beforeAck → ACK → afterAck, the held broadcasts merged in by seq (a held copy of an afterAck message is
   * then dropped by the gate: the direct copy was sent instead).
   */
  private void completeAccepted(String messageId, SessionReply.Accepted accepted) {
    for (SessionMessage message : accepted.beforeAck()) deliverDirect(message);
    ack(messageId);
    List<RenderedMessage> pending = held;
    holdSession = null;
    held = List.of();
    List<SessionMessage> after = accepted.afterAck();
    int a = 0;
    int h = 0;
    while (a < after.size() || h < pending.size()) {
      boolean takeAfter =
          h >= pending.size() || (a < after.size() && after.get(a).seq() <= pending.get(h).seq());
      if (takeAfter) {
        deliverDirect(after.get(a++));
      } else {
        deliverFeed(pending.get(h++));
      }
    }
  }

  private void deliverFeed(RenderedMessage message) {
    if (sendFeed(message) && noteEnd(message.message())) services.executor().execute(this::refreshFollows);
  }

  /**
   * A fan-out message reaches the socket only if this connection is one of its recipients (§1.4) and the seq gate
   * lets it pass. Returns whether it was sent.
   */
  private boolean sendFeed(RenderedMessage message) {
    if (!admitFeed(message)) return false;
    send(message.json(), message.message());
    if (!closed) services.metrics().messagesOut(services.outbound().wireType(message.message()), 1);
    return true;
  }

  /** Whether this connection is a recipient of the fan-out message and the seq gate lets it pass (it then counts as sent). */
  private boolean admitFeed(RenderedMessage message) {
    String sessionId = message.sessionId();
    boolean attached = sessionId.equals(subscribed) || sessionId.equals(djSession);
    if (attached) {
      if (!gate.pass(sessionId, message.seq())) return false;
    } else if (message.audience() != SessionFeed.Audience.LOBBY || !lobbyWatcher || subscribed != null) {
      return false;
    } else if (!gate.passIfKnown(sessionId, message.seq())) {
      // lobby events of sessions never attached to reach a watcher once, through the fan-out only: they are not
      // remembered (a lobby watcher would otherwise keep an entry for every session of the day)
      return false;
    }
    return true;
  }

  /** A session message from a reply (not the fan-out), counted as an outbound message when written. */
  private void deliverDirect(SessionMessage message) {
    if (!gate.pass(message.sessionId(), message.seq())) return;
    send(services.outbound().render(message), message.seq() > 0 ? message : null);
    if (!closed) services.metrics().messagesOut(services.outbound().wireType(message), 1);
    if (noteEnd(message)) services.executor().execute(this::refreshFollows);
  }

  // §7.5: after the end, subscriptions to the session are dropped and the DJ connection loses its role
  private boolean noteEnd(SessionMessage message) {
    if (!(message instanceof SessionMessage.SessionEnded)) return false;
    boolean attached = false;
    if (message.sessionId().equals(subscribed)) {
      subscribed = null;
      attached = true;
    }
    if (message.sessionId().equals(djSession)) {
      djSession = null;
      attached = true;
    }
    return attached;
  }

  private void send(String json, SessionMessage message) {
    if (closed) return;
    channel.send(json, message);
  }

  /** A reply that is not a session message, counted as an outbound message of {@code type}. */
  private void sendDirect(String type, String json) {
    if (closed) return;
    channel.send(json, null);
    services.metrics().messagesOut(type, 1);
  }

  private void ack(String messageId) {
    if (messageId == null) return;
    sendDirect("ACK", services.outbound().ack(messageId, services.clock().instant()));
    commandDone(true);
  }

  /** The ACK/NACK of the valid message being handled: one handled command (invalid ones are not commands). */
  private void commandDone(boolean acked) {
    if (commandType == null) return;
    services.metrics().commandHandled(commandType, acked, Duration.ofNanos(System.nanoTime() - commandNanos));
    commandType = null;
  }

  private void fail(String messageId, SessionError error) {
    fail(messageId, error.text(), error.code());
  }

  // §1.6: NACK with a usable messageId, else ERROR
  private void fail(String messageId, String text, String code) {
    if (messageId != null) {
      sendDirect("NACK", services.outbound().nack(messageId, text, code, services.clock().instant()));
      commandDone(false);
    } else {
      sendDirect("ERROR", services.outbound().error(text, code));
    }
  }

  private CompletionStage<Void> failNow(String messageId, SessionError error) {
    synchronized (lock) {
      fail(messageId, error);
    }
    return DONE;
  }

  private void closeChannel(int code, String reason) {
    if (closing || closed) return;
    closing = true;
    channel.close(code, reason);
  }

  // ---------------------------------------------------------------- node fan-out registrations

  /** The clientId locked when a REGISTER or SUBSCRIBE began following its target (null when none yet). */
  private record Following(String clientId) {}

  /**
   * REGISTER (§3.1) and SUBSCRIBE (§4.1): follow the target's fan-out before asking it and hold what it publishes
   * until the answer, so nothing published while the request is in flight is missed. Empty when the connection has
   * closed.
   */
  private Optional<Following> beginFollowing(String target) {
    String cid;
    synchronized (lock) {
      if (closed) return Optional.empty();
      cid = clientId;
      pendingFollow = target;
      beginHold(target);
    }
    refreshFollows();
    return Optional.of(new Following(cid));
  }

  /** Brings the fan-out registrations in line with the state: DJ session, subscription, pending target, lobby. */
  private void refreshFollows() {
    synchronized (followLock) {
      Set<String> wanted = new LinkedHashSet<>(3);
      boolean lobby;
      synchronized (lock) {
        if (!closed) {
          if (djSession != null) wanted.add(djSession);
          if (subscribed != null) wanted.add(subscribed);
          if (pendingFollow != null) wanted.add(pendingFollow);
        }
        lobby = !closed && lobbyWatcher && subscribed == null;
      }
      for (String sessionId : List.copyOf(followed)) {
        if (!wanted.contains(sessionId)) {
          followed.remove(sessionId);
          services.fanout().unfollow(sessionId, this);
        }
      }
      for (String sessionId : wanted) {
        if (followed.add(sessionId)) services.fanout().follow(sessionId, this);
      }
      if (lobby != watchingLobby) {
        watchingLobby = lobby;
        if (lobby) services.fanout().watchLobby(this);
        else services.fanout().unwatchLobby(this);
      }
    }
  }

  /** For diagnostics and tests. */
  public String clientId() {
    return currentClientId();
  }
}
