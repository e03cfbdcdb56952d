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
  }

  public CompletionStage<DancerBatchReply.DancerResult> submit(String sessionId, DancerRequest request) {
    Pending pending = new Pending(request, new CompletableFuture<>());
    boolean[] startNow = new boolean[1];
    boolean[] overloaded = new boolean[1];
    lanes.compute(
        sessionId,
        (id, lane) -> {
          if (lane == null) {
            // no batch in flight: this request goes out alone, at once; the lane marks "in flight"
            startNow[0] = true;
            return new Lane();
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
    if (startNow[0]) send(sessionId, List.of(pending));
    return pending.result;
  }

  private void send(String sessionId, List<Pending> batch) {
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
    reply.whenComplete(
        (answer, failure) -> {
          if (failure == null && (answer == null || answer.results().size() != batch.size())) {
            failure = new IllegalStateException("batch reply does not match its requests");
          }
          for (int i = 0; i < batch.size(); i++) {
            if (failure != null) batch.get(i).result.completeExceptionally(failure);
            else batch.get(i).result.complete(answer.results().get(i));
          }
          next(sessionId);
        });
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
