package floorcast.live.protocol;

import floorcast.session.DancerBatchReply;
import floorcast.session.DancerRequest;
import floorcast.session.SessionCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Node-local batching of dancer actions per session (performance guide: a hot session absorbs 5,000 likes/s by
 * persisting one event per batch). At most one {@link SessionCommand.DancerBatch} per session is in flight from
 * this node; requests arriving meanwhile form the next batch (at most {@code maxBatch}). Each caller gets its own
 * result, in request order; a failed or timed-out batch fails every caller of that batch.
 *
 * <p>After a crash, a batch sent to the dead node's shard before the node was downed is lost, and would hold the
 * lane for the whole ask timeout. When the session's new incarnation announces itself ({@link
 * #sessionRestarted}, from {@code SessionFeed.Recovered}) the batch in flight is sent once more; the first reply
 * wins and only the latest attempt's failure counts. A batch may thus be processed twice: every dancer request is
 * idempotent in the entity (subscribe, likes per client and track, votes, unsubscribe) except a reaction, which is
 * ephemeral and may then count twice.
 */
public final class DancerIngress {
  private final SessionEntities entities;
  private final int maxBatch;
  private final int maxWaiting;
  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * @param maxBatch requests per {@link SessionCommand.DancerBatch}
   * @param maxWaiting requests a session may have queued behind its batch in flight; beyond it new requests fail
   *     at once (answered {@code Internal server error}) instead of piling up while the entity is stuck
   */
  public DancerIngress(SessionEntities entities, int maxBatch, int maxWaiting) {
    if (maxBatch < 1 || maxWaiting < 1) throw new IllegalArgumentException("limits must be positive");
    this.entities = entities;
    this.maxBatch = maxBatch;
    this.maxWaiting = maxWaiting;
  }

  private record Pending(DancerRequest request, CompletableFuture<DancerBatchReply.DancerResult> result) {}

  /** Requests of one session waiting for the batch in flight to finish. Mutated only inside {@code compute}. */
  private static final class Lane {
    final ArrayList<Pending> waiting = new ArrayList<>();
    List<Pending> inFlight;
    int attempt;
    boolean resent;

    Lane(List<Pending> inFlight) {
      this.inFlight = inFlight;
    }
  }

  public CompletionStage<DancerBatchReply.DancerResult> submit(String sessionId, DancerRequest request) {
    Pending pending = new Pending(request, new CompletableFuture<>());
    @SuppressWarnings("unchecked")
    List<Pending>[] first = new List[1]; // the lane's own list: replies are matched to their batch by identity
    boolean[] overloaded = new boolean[1];
    lanes.compute(
        sessionId,
        (id, lane) -> {
          if (lane == null) {
            // no batch in flight: this request goes out alone, at once; the lane marks "in flight"
            first[0] = List.of(pending);
            return new Lane(first[0]);
          }
          if (lane.waiting.size() >= maxWaiting) {
            overloaded[0] = true;
          } else {
            lane.waiting.add(pending);
          }
          return lane;
        });
    if (overloaded[0]) {
      pending.result.completeExceptionally(new IllegalStateException("dancer ingress of " + sessionId + " is full"));
    }
    if (first[0] != null) send(sessionId, first[0]);
    return pending.result;
  }

  private void send(String sessionId, List<Pending> batch) {
    send(sessionId, batch, 0);
  }

  private void send(String sessionId, List<Pending> batch, int attempt) {
    List<DancerRequest> requests = new ArrayList<>(batch.size());
    for (Pending p : batch) requests.add(p.request);
    CompletionStage<DancerBatchReply> reply;
    try {
      reply =
          entities.ask(
              sessionId,
              replyTo -> new SessionCommand.DancerBatch(List.copyOf(requests), replyTo));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((answer, failure) -> finish(sessionId, batch, attempt, answer, failure));
  }

  private void finish(String sessionId, List<Pending> batch, int attempt, DancerBatchReply answer, Throwable error) {
    Throwable failure = error;
    if (failure == null && (answer == null || answer.results().size() != batch.size())) {
      failure = new IllegalStateException("batch reply does not match its requests");
    }
    boolean failed = failure != null;
    boolean[] done = new boolean[1];
    lanes.computeIfPresent(
        sessionId,
        (id, lane) -> {
          // a reply of any attempt completes the batch; a failure only if no newer attempt is under way
          if (lane.inFlight == batch && (!failed || attempt == lane.attempt)) {
            lane.inFlight = null;
            done[0] = true;
          }
          return lane;
        });
    if (!done[0]) return; // the batch was already completed by another attempt, or a newer attempt is pending
    for (int i = 0; i < batch.size(); i++) {
      if (failure != null) batch.get(i).result.completeExceptionally(failure);
      else batch.get(i).result.complete(answer.results().get(i));
    }
    next(sessionId);
  }

  /**
   * The session's entity started again (recovered after a crash or a hand-off elsewhere): a batch still in flight
   * may have gone to the old incarnation and be lost, so it is sent once more to the new one.
   */
  public void sessionRestarted(String sessionId) {
    List<List<Pending>> resend = new ArrayList<>(1);
    int[] attempt = new int[1];
    lanes.computeIfPresent(
        sessionId,
        (id, lane) -> {
          if (lane.inFlight != null && !lane.resent) {
            lane.resent = true;
            attempt[0] = ++lane.attempt;
            resend.add(lane.inFlight);
          }
          return lane;
        });
    if (!resend.isEmpty()) send(sessionId, resend.get(0), attempt[0]);
  }

  private void next(String sessionId) {
    List<List<Pending>> taken = new ArrayList<>(1);
    lanes.computeIfPresent(
        sessionId,
        (id, lane) -> {
          if (lane.waiting.isEmpty()) return null; // nothing waits: the session has no batch in flight any more
          int n = Math.min(maxBatch, lane.waiting.size());
          List<Pending> batch = new ArrayList<>(lane.waiting.subList(0, n));
          lane.waiting.subList(0, n).clear();
          lane.inFlight = batch;
          lane.attempt = 0;
          lane.resent = false;
          taken.add(batch);
          return lane;
        });
    if (!taken.isEmpty()) send(sessionId, taken.get(0));
  }

  /** Sessions with a batch in flight from this node (for metrics and tests). */
  public int activeSessions() {
    return lanes.size();
  }
}
