package floorcast.load.ws;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A DJ desktop: registers its session, then broadcasts a uniquely titled track every track-interval (the title
 * carries the intended send time, {@link TrackStamp}), starts polls and sends announcements on their intervals.
 * Broadcasts go out on a fixed schedule whatever the replies (open model); the stamp is the scheduled instant, so
 * a late loop is charged to the latency (no coordinated omission, performance.md §6.1). Only ACKed broadcasts
 * count as expected deliveries.
 */
final class Dj implements ClientSocket.Listener {
  private final LoadRun run;
  private final int sessionIndex;
  private final String sessionId, clientId;
  private ClientSocket socket;
  private boolean registered;
  /** Scheduled first connect; the first REGISTER ACK is measured from it (retries included), then it is 0. */
  private long firstConnectAt;
  private int moves;
  private final Map<String, String> pendingTitles = new HashMap<>();
  private long broadcasts, messages;
  private final Map<String, Long> pendingBroadcasts = new HashMap<>();

  Dj(LoadRun run, int sessionIndex) {
    this.run = run;
    this.sessionIndex = sessionIndex;
    this.sessionId = run.options.sessionId(sessionIndex);
    this.clientId = "dj_" + run.options.runId() + "_" + sessionIndex;
  }

  void start(long at) {
    firstConnectAt = at;
    run.loop.at(at, this::connect);
    // sessions start their tracks spread over the first few seconds, not all in the same instant
    long firstTrack = run.warmupStart
        + LoadRun.seconds(ThreadLocalRandom.current().nextDouble() * Math.min(5, run.options.trackMinSeconds()));
    run.loop.at(firstTrack, () -> broadcast(firstTrack));
    if (run.options.pollIntervalSeconds() > 0) schedulePoll(run.warmupStart);
    if (run.options.announceIntervalSeconds() > 0) scheduleAnnouncement(run.warmupStart);
  }

  void stop() {
    if (socket != null) socket.close();
  }

  private void connect() {
    if (System.nanoTime() >= run.measureEnd) return;
    socket = ClientSocket.open(
        run.loop, run.options.source(), run.options.server(sessionIndex, moves), run.options.browserHeaders(), this);
  }

  @Override
  public void opened(long nanos) {
    run.count("dj_connected");
    if (run.options.floor()) {
      registered = true;
      return;
    }
    register();
  }

  private void register() {
    if (socket == null || !socket.isOpen()) return;
    socket.sendText("{\"type\":\"REGISTER_SESSION\",\"sessionId\":\"" + sessionId + "\",\"djName\":\"Load DJ "
        + sessionIndex + "\",\"clientId\":\"" + clientId + "\",\"version\":\"0.3.0\",\"messageId\":\"reg\"}");
  }

  private void broadcast(long intended) {
    if (intended >= run.measureEnd) return;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long next = intended + LoadRun.seconds(run.options.trackMinSeconds()
        + r.nextDouble() * (run.options.trackMaxSeconds() - run.options.trackMinSeconds()));
    run.loop.at(next, () -> broadcast(next));
    if (socket == null || !socket.isOpen() || !registered) {
      run.fail("dj_broadcast_while_disconnected");
      return;
    }
    long n = ++broadcasts;
    String id = "t" + n;
    String title = TrackStamp.title(sessionIndex, n, intended);
    socket.sendText("{\"type\":\"BROADCAST_TRACK\",\"sessionId\":\"" + sessionId + "\",\"track\":{\"title\":\""
        + title + "\",\"artist\":\"Load Artist " + (n % 17) + "\",\"bpm\":" + (60 + n % 120)
        + "},\"version\":\"0.3.0\",\"messageId\":\"" + id + "\"}");
    run.count("broadcasts_sent");
    if (run.options.floor()) accepted(intended);
    else {
      pendingBroadcasts.put(id, intended);
      pendingTitles.put(id, title);
    }
  }

  private void accepted(long stamp) {
    run.count("broadcasts_accepted");
    if (run.inMeasure(stamp)) run.acceptedBroadcasts.add(new long[] {sessionIndex, stamp});
  }

  private void schedulePoll(long after) {
    long at = after + LoadRun.seconds(run.options.pollIntervalSeconds() * (0.5 + ThreadLocalRandom.current().nextDouble()));
    if (at >= run.measureEnd) return;
    run.loop.at(at, () -> {
      command("{\"type\":\"START_POLL\",\"sessionId\":\"" + sessionId
          + "\",\"question\":\"Next style?\",\"options\":[\"Blues\",\"Fusion\",\"West Coast\",\"Lindy\"],\"durationSeconds\":30");
      schedulePoll(at);
    });
  }

  private void scheduleAnnouncement(long after) {
    long at = after + LoadRun.seconds(run.options.announceIntervalSeconds() * (0.5 + ThreadLocalRandom.current().nextDouble()));
    if (at >= run.measureEnd) return;
    run.loop.at(at, () -> {
      command("{\"type\":\"SEND_ANNOUNCEMENT\",\"sessionId\":\"" + sessionId
          + "\",\"message\":\"Water break in 10 minutes\",\"durationSeconds\":60");
      scheduleAnnouncement(at);
    });
  }

  private void command(String jsonWithoutClosingBrace) {
    if (socket == null || !socket.isOpen() || !registered || run.options.floor()) return;
    socket.sendText(jsonWithoutClosingBrace + ",\"messageId\":\"c" + (++messages) + "\"}");
    run.count("dj_commands_sent");
  }

  @Override
  public void text(String message, long receivedNanos) {
    if (run.options.floor()) return;
    String type = JsonFields.string(message, "type");
    if (type == null) return;
    switch (type) {
      case "ACK" -> {
        String id = JsonFields.string(message, "messageId");
        if ("reg".equals(id)) {
          registered = true;
          if (firstConnectAt != 0) LoadRun.record(run.djRegister, receivedNanos - firstConnectAt);
          firstConnectAt = 0;
        }
        Long stamp = id == null ? null : pendingBroadcasts.remove(id);
        if (stamp != null) {
          run.acceptedTitles.add(pendingTitles.remove(id));
          accepted(stamp);
        }
      }
      case "NACK" -> {
        String id = JsonFields.string(message, "messageId");
        String code = JsonFields.string(message, "code");
        if (id != null && pendingBroadcasts.remove(id) != null) {
          pendingTitles.remove(id);
          run.fail("dj_broadcast_nack_" + code);
        } else if ("reg".equals(id)) {
          // e.g. Internal server error when the entity did not answer in time: the desktop registers again
          run.fail("dj_register_nack_" + code);
          run.loop.after(LoadRun.seconds(1 + ThreadLocalRandom.current().nextDouble()), this::register);
        } else {
          run.fail("dj_nack_" + code);
        }
      }
      case "ERROR" -> run.fail("dj_error_" + JsonFields.string(message, "code"));
      case "LIKE_RECEIVED" -> run.counters.merge("dj_like_count", JsonFields.integer(message, "count", 1), Long::sum);
      case "TEMPO_FEEDBACK" -> run.count("dj_tempo_feedback");
      case "POLL_UPDATE" -> run.count("dj_poll_updates");
      default -> { }
    }
  }

  @Override
  public void closed(String kind) {
    registered = false;
    pendingBroadcasts.clear();
    pendingTitles.clear();
    if (System.nanoTime() >= run.measureEnd) return;
    run.fail("dj_" + kind);
    moves++; // the next server of the list, if there are several
    // the desktop reconnects and resumes its session (protocol.md §15)
    run.loop.after(LoadRun.seconds(0.5 + ThreadLocalRandom.current().nextDouble()), this::connect);
  }
}
