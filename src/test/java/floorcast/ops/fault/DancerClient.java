package floorcast.ops.fault;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A dancer like the web client (reliability.md §5, protocol.md §15): subscribes with its clientId, applies only
 * messages with a {@code seq} above the highest applied one, reconnects after any close with jittered exponential
 * back-off (to the next node) and re-SUBSCRIBEs with {@code lastSeq}. Sometimes likes the new track with a
 * {@code messageId} and records the ACK in the ledger (a first like per track always persists an event).
 */
final class DancerClient {
  /** Back-off 1 s doubling, capped at 8 s (the web client caps at 30 s; the test is shorter than that matters). */
  private static final long MAX_BACKOFF_MS = 8_000;

  final String sessionId;
  final String clientId;
  private final HttpClient http;
  private final ScheduledExecutorService timers;
  private final Ledger ledger;
  private final double likeChance;
  private final ConcurrentHashMap<String, Boolean> pendingLikes = new ConcurrentHashMap<>();

  private int node;
  private int attempt;
  private int subscribeCount;
  private LiveSocket socket;
  private String subscribeId;
  private boolean subscribed;
  private boolean stopped;
  private long lastSeq;
  private long seqAtSubscribe = -1;
  private String lastLikedTitle;

  // figures
  private int connects;
  private int closes;
  private int resumeViolations;
  private int staleDropped;
  private int subscribeNacks;
  private long appliedMessages;
  private long lastResyncAt;
  // SIGKILL watch (see LoadClient.watchFrom)
  private long watchFrom;
  private boolean closedSinceWatch;
  private long firstResyncSinceWatch;
  private long firstSeqSinceWatch;

  DancerClient(
      String sessionId,
      String clientId,
      int node,
      HttpClient http,
      ScheduledExecutorService timers,
      Ledger ledger,
      double likeChance) {
    this.sessionId = sessionId;
    this.clientId = clientId;
    this.node = node;
    this.http = http;
    this.timers = timers;
    this.ledger = ledger;
    this.likeChance = likeChance;
  }

  synchronized void connect() {
    if (stopped) return;
    int target = node;
    LiveSocket.open(http, target, this::onMessage, this::onClosed)
        .whenComplete(
            (s, err) -> {
              if (err != null) {
                reconnectLater();
                return;
              }
              synchronized (this) {
                socket = s;
                connects++;
                sendSubscribe(s);
              }
            });
  }

  private synchronized void sendSubscribe(LiveSocket s) {
    subscribeCount++;
    subscribeId = "sub-" + clientId + "-" + subscribeCount;
    seqAtSubscribe = lastSeq;
    s.send(
        "{\"type\":\"SUBSCRIBE\",\"sessionId\":\""
            + sessionId
            + "\",\"clientId\":\""
            + clientId
            + "\",\"lastSeq\":"
            + lastSeq
            + ",\"messageId\":\""
            + subscribeId
            + "\"}");
  }

  /** A refused SUBSCRIBE (e.g. NACK Internal server error while the session moves) is repeated on the socket. */
  private synchronized void resubscribeLater(LiveSocket s) {
    timers.schedule(
        () -> {
          synchronized (this) {
            if (socket == s && !subscribed && !stopped) sendSubscribe(s);
          }
        },
        1000 + ThreadLocalRandom.current().nextInt(1000),
        TimeUnit.MILLISECONDS);
  }

  private synchronized void reconnectLater() {
    if (stopped) return;
    node = node % 3 + 1; // try the next node: this one may be restarting
    long base = Math.min(MAX_BACKOFF_MS, 1000L << Math.min(attempt, 4));
    attempt++;
    long delay = (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
    timers.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private void onClosed(int code) {
    synchronized (this) {
      subscribed = false;
      socket = null;
      closes++;
      if (watchFrom > 0) closedSinceWatch = true;
    }
    reconnectLater();
  }

  private void onMessage(JsonNode m) {
    String type = m.path("type").asText();
    long now = System.currentTimeMillis();
    String likeToSend = null;
    LiveSocket s;
    synchronized (this) {
      s = socket;
      if (type.equals("ACK") || type.equals("NACK")) {
        String id = m.path("messageId").asText();
        if (id.equals(subscribeId) && type.equals("NACK")) {
          subscribeNacks++;
          resubscribeLater(s);
        } else if (id.equals(subscribeId) && type.equals("ACK")) {
          subscribed = true;
          attempt = 0;
          lastResyncAt = now;
          if (watchFrom > 0 && now >= watchFrom && firstResyncSinceWatch == 0) firstResyncSinceWatch = now;
        } else if (pendingLikes.remove(id) != null && type.equals("ACK")) {
          ledger.acked(id, sessionId, "SEND_LIKE");
        }
        return;
      }
      if (!m.has("seq")) return;
      long seq = m.path("seq").asLong();
      if (seqAtSubscribe >= 0) {
        // the first session message after a (re)SUBSCRIBE is the snapshot: it must be newer than lastSeq (§4.1)
        if (seq <= seqAtSubscribe) resumeViolations++;
        seqAtSubscribe = -1;
      }
      if (seq <= lastSeq) {
        staleDropped++;
        return;
      }
      lastSeq = seq;
      appliedMessages++;
      if (watchFrom > 0 && now >= watchFrom + 500 && firstSeqSinceWatch == 0) firstSeqSinceWatch = now;
      if (type.equals("NOW_PLAYING")) {
        String title = m.path("track").path("title").asText();
        if (!title.equals(lastLikedTitle) && ThreadLocalRandom.current().nextDouble() < likeChance) {
          lastLikedTitle = title;
          likeToSend = m.path("track").toString();
        }
      }
    }
    if (likeToSend != null && s != null) {
      String id = "like-" + clientId + "-" + now + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
      pendingLikes.put(id, Boolean.TRUE);
      s.send(
          "{\"type\":\"SEND_LIKE\",\"sessionId\":\""
              + sessionId
              + "\",\"clientId\":\""
              + clientId
              + "\",\"messageId\":\""
              + id
              + "\",\"payload\":{\"track\":"
              + likeToSend
              + "}}");
    }
  }

  /** Application heartbeat (§5): keeps the connection under the 120 s idle limit. */
  void ping() {
    LiveSocket s;
    synchronized (this) {
      s = socket;
    }
    if (s != null) s.send("{\"type\":\"PING\"}");
  }

  synchronized void watchFrom(long millis) {
    watchFrom = millis;
    closedSinceWatch = false;
    firstResyncSinceWatch = 0;
    firstSeqSinceWatch = 0;
  }

  /** When this dancer was back in sync after the watch start: resubscribed if it lost its socket, else got news. */
  synchronized long resyncedAtSinceWatch() {
    return closedSinceWatch ? firstResyncSinceWatch : firstSeqSinceWatch;
  }

  synchronized boolean closedSinceWatch() {
    return closedSinceWatch;
  }

  synchronized boolean subscribed() {
    return subscribed;
  }

  synchronized int connects() {
    return connects;
  }

  synchronized int closes() {
    return closes;
  }

  synchronized int resumeViolations() {
    return resumeViolations;
  }

  synchronized int subscribeNacks() {
    return subscribeNacks;
  }

  synchronized int staleDropped() {
    return staleDropped;
  }

  synchronized long appliedMessages() {
    return appliedMessages;
  }

  synchronized long lastSeq() {
    return lastSeq;
  }

  synchronized long lastResyncAt() {
    return lastResyncAt;
  }

  void stop() {
    LiveSocket s;
    synchronized (this) {
      stopped = true;
      s = socket;
    }
    if (s != null) s.abort();
  }
}
