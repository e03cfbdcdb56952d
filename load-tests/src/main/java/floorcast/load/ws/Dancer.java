package floorcast.load.ws;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A dancer as the web client behaves: connect, join through the lobby (GET_SESSIONS, then SUBSCRIBE with
 * clientId and lastSeq), like about one track in three, tempo votes, poll votes, and reconnect with jittered
 * back-off after a drop. Keeps inside the server's per-client limits (protocol.md §16) the way a polite client
 * would, so NACKs that do show up are real failures.
 */
final class Dancer implements ClientSocket.Listener {
  private static final int LIKES_PER_MINUTE = 10, ACTIONS_PER_MINUTE = 30;
  private static final long MINUTE = 60_000_000_000L;

  private final LoadRun run;
  private final int sessionIndex;
  private final int index;
  private final String sessionId, clientId;
  private int moves; // how often this dancer moved on to the next server of the list
  private ClientSocket socket;
  private long intendedConnect;
  private int attempt;
  private long lastSeq;
  private boolean snapshot;
  private long subscribedAt = -1;
  private boolean everSubscribed;
  private String subscribeId;
  private String currentTitle, currentArtist;
  private int messages;
  private final Map<String, Long> pendingActions = new HashMap<>();
  private final ArrayDeque<Long> likeTimes = new ArrayDeque<>(), actionTimes = new ArrayDeque<>();
  private boolean stormLikeDone;

  Dancer(LoadRun run, int index) {
    this.run = run;
    this.index = index;
    this.sessionIndex = run.options.sessionOf(index);
    this.sessionId = run.options.sessionId(sessionIndex);
    this.clientId = "dancer_" + run.options.runId() + "_p" + run.options.process() + "_" + index;
  }

  void connectAt(long at) {
    run.loop.at(at, () -> connect(at));
  }

  void stop() {
    if (socket != null) socket.close();
  }

  /** As after the ACK of its SUBSCRIBE, without a socket: only for {@link ReceivePathWarmup}'s throw-away dancer. */
  void assumeSubscribed() {
    snapshot = false;
    subscribedAt = 0;
    everSubscribed = true;
  }

  private void connect(long intended) {
    if (System.nanoTime() >= run.measureEnd) return;
    intendedConnect = intended;
    run.count("connect_attempts");
    socket = ClientSocket.open(
        run.loop, run.options.source(), run.options.server(index, moves), run.options.browserHeaders(), this);
  }

  @Override
  public void opened(long nanos) {
    attempt = 0;
    LoadRun.record(run.handshake, nanos - intendedConnect);
    run.count("connected");
    if (run.options.floor()) {
      subscribedAt = nanos; // the floor has no subscribe reply: it relays the session's broadcasts from now on
      firstSubscription(nanos);
      socket.sendText(
          "{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"" + clientId + "\"}");
      return;
    }
    if (run.options.lobby()) {
      socket.sendText("{\"type\":\"GET_SESSIONS\",\"clientId\":\"" + clientId + "\",\"messageId\":\"lobby\"}");
    } else {
      subscribe();
    }
    scheduleChurn();
  }

  private void subscribe() {
    subscribeId = "sub" + (++messages);
    snapshot = true;
    socket.sendText("{\"type\":\"SUBSCRIBE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"" + clientId
        + "\",\"lastSeq\":" + lastSeq + ",\"messageId\":\"" + subscribeId + "\"}");
  }

  @Override
  public void text(String message, long receivedNanos) {
    // the stamp first, before any other work (performance.md §6.2)
    long stamp = TrackStamp.parse(message);
    String type = JsonFields.string(message, "type");
    long seq = JsonFields.integer(message, "seq", -1);
    if (seq > lastSeq) lastSeq = seq;
    if (stamp != Long.MIN_VALUE && !snapshot && ("NOW_PLAYING".equals(type) || run.options.floor())) {
      delivered(stamp, receivedNanos);
    }
    if (type == null || run.options.floor()) return;
    switch (type) {
      case "SESSIONS_LIST" -> {
        if (!snapshot) {
          if (message.contains("\"" + sessionId + "\"")) subscribe();
          else if (lobbyTruncated(message)) {
            // protocol.md: SESSIONS_LIST holds at most 500 sessions; a dancer with the join link subscribes anyway
            run.count("lobby_truncated_subscribed_by_link");
            subscribe();
          } else { run.fail("lobby_session_missing"); retryJoin(); }
        }
      }
      case "NOW_PLAYING" -> nowPlaying(message);
      case "POLL_STARTED" -> pollStarted(message);
      case "SESSION_ENDED" -> {
        if (snapshot) { run.fail("subscribe_session_not_live"); snapshot = false; retryJoin(); }
      }
      case "ACK" -> ack(JsonFields.string(message, "messageId"), receivedNanos);
      case "NACK" -> {
        pendingActions.remove(JsonFields.string(message, "messageId"));
        run.fail("nack_" + JsonFields.string(message, "code"));
      }
      case "ERROR" -> run.fail("error_" + JsonFields.string(message, "code"));
      default -> { }
    }
  }

  /** Counts this dancer's first subscription (T1's "all subscribed"); a resubscription after a reconnect does not. */
  private void firstSubscription(long nanos) {
    if (everSubscribed) return;
    everSubscribed = true;
    run.firstSubscribed(nanos);
  }

  /** The lobby list is at its cap of 500 entries (protocol.md's limits table): more sessions are live than listed. */
  private static boolean lobbyTruncated(String sessionsList) {
    int entries = 0;
    for (int i = sessionsList.indexOf("\"sessionId\""); i >= 0; i = sessionsList.indexOf("\"sessionId\"", i + 1)) {
      if (++entries >= 500) return true;
    }
    return false;
  }

  private void delivered(long stamp, long receivedNanos) {
    if (!run.inMeasure(stamp)) return;
    if (subscribedAt >= 0 && stamp >= subscribedAt) {
      run.recordDelivery(stamp, receivedNanos, run.options.dancersOf(sessionIndex) < 1000);
      run.count("received_in_window");
    } else {
      run.count("received_before_subscribed");
    }
  }

  private void ack(String messageId, long receivedNanos) {
    if (messageId == null) return;
    if (messageId.equals(subscribeId)) {
      snapshot = false;
      subscribedAt = receivedNanos;
      LoadRun.record(run.join, receivedNanos - intendedConnect);
      firstSubscription(receivedNanos);
      run.count("subscribed");
      maybeStormLike();
      return;
    }
    Long sent = pendingActions.remove(messageId);
    if (sent != null) LoadRun.record(run.actionAck, receivedNanos - sent);
  }

  private void nowPlaying(String message) {
    currentTitle = JsonFields.string(message, "title");
    currentArtist = JsonFields.string(message, "artist");
    if (snapshot) return;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    if (r.nextDouble() < run.options.likeRatio()) {
      String title = currentTitle, artist = currentArtist;
      run.loop.after(LoadRun.seconds(0.5 + r.nextDouble() * 3.5), () -> like(title, artist, System.nanoTime()));
    }
    if (r.nextDouble() < run.options.tempoRatio()) {
      String[] prefs = {"faster", "slower", "perfect"};
      String pref = prefs[r.nextInt(prefs.length)];
      run.loop.after(LoadRun.seconds(0.5 + r.nextDouble() * 2.5), () -> {
        if (withinBudget(actionTimes, ACTIONS_PER_MINUTE, "tempo")) {
          action("{\"type\":\"SEND_TEMPO_REQUEST\",\"sessionId\":\"" + sessionId + "\",\"preference\":\"" + pref
              + "\",\"clientId\":\"" + clientId + "\"", System.nanoTime());
        }
      });
    }
  }

  private void pollStarted(String message) {
    long pollId = JsonFields.integer(message, "pollId", -1);
    int options = optionCount(message);
    if (pollId < 0 || options < 2 || message.contains("\"hasVoted\":true")) return;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    if (r.nextDouble() >= run.options.pollVoteRatio()) return;
    int choice = r.nextInt(options);
    run.loop.after(LoadRun.seconds(1 + r.nextDouble() * 9), () -> {
      if (withinBudget(actionTimes, ACTIONS_PER_MINUTE, "poll_vote")) {
        action("{\"type\":\"VOTE_ON_POLL\",\"pollId\":" + pollId + ",\"optionIndex\":" + choice + ",\"clientId\":\""
            + clientId + "\"", System.nanoTime());
      }
    });
  }

  private static int optionCount(String message) {
    int start = message.indexOf("\"options\":[");
    if (start < 0) return 0;
    int end = message.indexOf(']', start);
    if (end < 0) return 0;
    String inner = message.substring(start + 11, end);
    return inner.isEmpty() ? 0 : inner.split("\",\"", -1).length;
  }

  private void like(String title, String artist, long intended) {
    if (title == null || artist == null || !withinBudget(likeTimes, LIKES_PER_MINUTE, "like")) return;
    action("{\"type\":\"SEND_LIKE\",\"sessionId\":\"" + sessionId + "\",\"clientId\":\"" + clientId
        + "\",\"payload\":{\"track\":{\"title\":" + JsonFields.quote(title) + ",\"artist\":"
        + JsonFields.quote(artist) + "}}", intended);
  }

  /** like-storm: every dancer likes the current track once, at a random instant of the storm window. */
  private void maybeStormLike() {
    if (stormLikeDone || run.options.likeStormAtSeconds() < 0) return;
    stormLikeDone = true;
    long at = run.measureStart + LoadRun.seconds(run.options.likeStormAtSeconds()
        + ThreadLocalRandom.current().nextDouble() * run.options.likeStormWindowSeconds());
    run.loop.at(at, () -> like(currentTitle, currentArtist, at));
  }

  private boolean withinBudget(ArrayDeque<Long> times, int perMinute, String what) {
    long now = System.nanoTime();
    while (!times.isEmpty() && now - times.peekFirst() >= MINUTE) times.pollFirst();
    if (times.size() >= perMinute) {
      run.count(what + "_skipped_client_budget");
      return false;
    }
    times.addLast(now);
    return true;
  }

  private void action(String jsonWithoutClosingBrace, long intended) {
    if (socket == null || !socket.isOpen() || snapshot) return;
    String id = "a" + (++messages);
    pendingActions.put(id, intended);
    run.count("actions_sent");
    socket.sendText(jsonWithoutClosingBrace + ",\"messageId\":\"" + id + "\"}");
  }

  private void scheduleChurn() {
    double perMinute = run.options.churnPerMinute();
    if (perMinute <= 0) return;
    ClientSocket current = socket;
    double meanSeconds = 60.0 / perMinute;
    long delay = LoadRun.seconds(-Math.log(1 - ThreadLocalRandom.current().nextDouble()) * meanSeconds);
    run.loop.after(delay, () -> {
      if (socket == current && current.isOpen() && System.nanoTime() < run.measureEnd) {
        run.count("churn_drops");
        current.drop();
      }
    });
  }

  /** The session is not (yet) live or not in the lobby list: look again in 1-3 s, as a dancer on the lobby page. */
  private void retryJoin() {
    run.loop.after(LoadRun.seconds(1 + 2 * ThreadLocalRandom.current().nextDouble()), () -> {
      if (socket != null && socket.isOpen()) {
        if (run.options.lobby()) socket.sendText("{\"type\":\"GET_SESSIONS\",\"clientId\":\"" + clientId + "\"}");
        else subscribe();
      }
    });
  }

  @Override
  public void closed(String kind) {
    long now = System.nanoTime();
    if (subscribedAt >= 0) run.subscriptions.add(new long[] {sessionIndex, subscribedAt, now});
    subscribedAt = -1;
    snapshot = false;
    pendingActions.clear();
    if (now >= run.measureEnd) return; // the run is over: the coordinator's close or the server going away
    if (!kind.equals("client_close")) {
      run.fail(kind);
      moves++; // the server refused or went away: try the next one of the list (a cluster), as a load balancer would
    }
    run.count("reconnects");
    long delay = backoff();
    run.loop.after(delay, () -> connect(System.nanoTime()));
  }

  /** Jittered exponential back-off: 0.5 s doubling to 30 s, times 0.5–1.5. */
  private long backoff() {
    double base = Math.min(30, 0.5 * Math.pow(2, Math.min(attempt++, 6)));
    return LoadRun.seconds(base * (0.5 + ThreadLocalRandom.current().nextDouble()));
  }
}
