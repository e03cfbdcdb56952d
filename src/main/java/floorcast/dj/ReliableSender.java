package floorcast.dj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * At-least-once delivery of DJ commands (clients.md §5, protocol.md §3.0/§15). Every command carries a unique
 * {@code messageId} and stays in the outbox — mirrored to the on-disk {@link CommandSpool} — until it is ACKed or
 * refused for good. Commands go out one at a time in submission order (stop-and-wait), which keeps the server's view
 * of the set in order and paces a backlog flushed after a reconnect.
 *
 * <ul>
 *   <li>no ACK within the timeout → the same frame (same id) again; duplicates are ACKed by the server;
 *   <li>{@code Rate limit exceeded (wait 5s)} → again once 5 s have passed since the last accepted broadcast;
 *   <li>{@code Internal server error} → again after an exponential backoff;
 *   <li>any other NACK → logged and dropped;
 *   <li>disconnected → nothing is sent; after the next registration the outbox is resent in order.
 * </ul>
 *
 * All state is confined to the client's single-threaded {@code loop}; public methods may be called from any thread.
 */
public final class ReliableSender {
  public static final String RATE_LIMITED = "Rate limit exceeded (wait 5s)";
  public static final String INTERNAL_ERROR = "Internal server error";

  /** Where frames go while registered. */
  public interface Transport {
    void send(String frame);
  }

  /** Delivery outcomes, reported on the loop thread. */
  public interface Outcomes {
    void acknowledged(String messageId, String type);

    void refused(String messageId, String type, String error);

    /** The spool could not be written: commands are still sent, but would not survive a restart of the client. */
    default void spoolUnavailable(String reason) {}
  }

  private static final class Pending {
    final String messageId;
    final String type;
    final String frame;
    boolean inFlight;
    int sends;
    int serverErrors;
    long notBefore;

    Pending(String messageId, String type, String frame) {
      this.messageId = messageId;
      this.type = type;
      this.frame = frame;
    }

    boolean isBroadcast() {
      return "BROADCAST_TRACK".equals(type);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScheduledExecutorService loop;
  private final CommandSpool spool;
  private final DeliveryTimings timings;
  private final LongSupplier clock;
  private final Outcomes outcomes;
  private final List<Pending> outbox = new ArrayList<>();
  private final Map<String, CompletableFuture<Boolean>> awaited = new HashMap<>();
  private Transport transport;
  private long lastSentAt = Long.MIN_VALUE;
  private long lastBroadcastSentAt = Long.MIN_VALUE;
  private long lastAcceptedBroadcastAt = Long.MIN_VALUE;
  private ScheduledFuture<?> timer;

  public ReliableSender(
      ScheduledExecutorService loop, CommandSpool spool, DeliveryTimings timings, LongSupplier clock, Outcomes outcomes) {
    this.loop = loop;
    this.spool = spool;
    this.timings = timings;
    this.clock = clock;
    this.outcomes = outcomes;
    for (String frame : spool.load()) {
      try {
        JsonNode node = JSON.readTree(frame);
        String id = node.path("messageId").asText("");
        String type = node.path("type").asText("");
        if (!id.isEmpty() && !type.isEmpty()) outbox.add(new Pending(id, type, frame));
      } catch (Exception e) {
        // a damaged line (e.g. disk full mid-write of an older format) is not worth failing the set for
      }
    }
  }

  /** Number of spooled commands found at start (before anything was submitted). */
  public int recoveredCount() {
    return outbox.size();
  }

  /**
   * Queues a command; a {@code messageId} is added if missing. Returns its id. The command is on disk before this
   * returns to the loop (submit from the loop thread for that guarantee).
   */
  public String submit(ObjectNode command) {
    String id = command.path("messageId").asText("");
    if (id.isEmpty()) {
      id = WireIds.messageId(clock.getAsLong());
      command.put("messageId", id);
    }
    String type = command.path("type").asText();
    String frame = command.toString();
    String messageId = id;
    onLoop(
        () -> {
          outbox.add(new Pending(messageId, type, frame));
          persist();
          pump();
        });
    return id;
  }

  /** Completes with true on ACK, false when refused or withdrawn. */
  public CompletableFuture<Boolean> outcome(String messageId) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    onLoop(
        () -> {
          boolean pending = outbox.stream().anyMatch(p -> p.messageId.equals(messageId));
          if (!pending) f.complete(false);
          else awaited.computeIfAbsent(messageId, k -> new CompletableFuture<>()).whenComplete((v, e) -> f.complete(v));
        });
    return f;
  }

  /** Removes a command that has not been acknowledged (e.g. END_SESSION given up at exit). */
  public void withdraw(String messageId) {
    onLoop(
        () -> {
          if (outbox.removeIf(p -> p.messageId.equals(messageId))) {
            persist();
            complete(messageId, false);
          }
        });
  }

  /** The connection is registered: (re)send the outbox in order. */
  public void connected(Transport t) {
    onLoop(
        () -> {
          transport = t;
          for (Pending p : outbox) p.inFlight = false;
          pump();
        });
  }

  /** The connection is gone: keep everything, send nothing. */
  public void disconnected() {
    onLoop(
        () -> {
          transport = null;
          cancelTimer();
          for (Pending p : outbox) p.inFlight = false;
        });
  }

  public void acknowledged(String messageId) {
    onLoop(
        () -> {
          Pending p = find(messageId);
          if (p == null) return;
          if (p.isBroadcast()) lastAcceptedBroadcastAt = clock.getAsLong();
          outbox.remove(p);
          persist();
          outcomes.acknowledged(p.messageId, p.type);
          complete(messageId, true);
          if (p.inFlight) cancelTimer();
          pump();
        });
  }

  public void refused(String messageId, String error) {
    onLoop(
        () -> {
          Pending p = find(messageId);
          if (p == null) return;
          long now = clock.getAsLong();
          if (p.inFlight) cancelTimer();
          p.inFlight = false;
          if (RATE_LIMITED.equals(error)) {
            long since = lastAcceptedBroadcastAt == Long.MIN_VALUE ? now : lastAcceptedBroadcastAt;
            p.notBefore = Math.max(now, since + timings.broadcastGapMillis());
          } else if (INTERNAL_ERROR.equals(error)) {
            long delay = Math.min(timings.retryMaxMillis(), timings.retryBaseMillis() << Math.min(p.serverErrors, 20));
            p.serverErrors++;
            p.notBefore = now + delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
          } else {
            outbox.remove(p);
            persist();
            outcomes.refused(p.messageId, p.type, error);
            complete(messageId, false);
          }
          pump();
        });
  }

  /** Snapshot for {@code status}: pending command types in order (call from the loop). */
  public List<String> pendingTypes() {
    List<String> out = new ArrayList<>();
    for (Pending p : outbox) out.add(p.type);
    return out;
  }

  public boolean isConnected() {
    return transport != null;
  }

  private void pump() {
    if (transport == null || outbox.isEmpty()) return;
    Pending head = outbox.get(0);
    if (head.inFlight) return;
    long now = clock.getAsLong();
    long due = head.notBefore;
    if (lastSentAt != Long.MIN_VALUE) due = Math.max(due, lastSentAt + timings.paceMillis());
    if (head.isBroadcast() && lastBroadcastSentAt != Long.MIN_VALUE && head.sends == 0) {
      due = Math.max(due, lastBroadcastSentAt + timings.broadcastGapMillis());
    }
    if (now < due) {
      schedule(due - now, this::pump);
      return;
    }
    head.inFlight = true;
    head.sends++;
    lastSentAt = now;
    if (head.isBroadcast()) lastBroadcastSentAt = now;
    int sendNumber = head.sends;
    transport.send(head.frame);
    schedule(
        timings.ackTimeoutMillis(),
        () -> {
          if (head.inFlight && head.sends == sendNumber && outbox.contains(head)) {
            head.inFlight = false; // no ACK in time: the same id again
            pump();
          }
        });
  }

  private Pending find(String messageId) {
    for (Pending p : outbox) if (p.messageId.equals(messageId)) return p;
    return null;
  }

  private void complete(String messageId, boolean ok) {
    CompletableFuture<Boolean> f = awaited.remove(messageId);
    if (f != null) f.complete(ok);
  }

  private void persist() {
    List<String> frames = new ArrayList<>(outbox.size());
    for (Pending p : outbox) frames.add(p.frame);
    try {
      spool.save(frames);
    } catch (java.io.UncheckedIOException e) {
      outcomes.spoolUnavailable(e.getMessage());
    }
  }

  private void schedule(long delayMillis, Runnable r) {
    cancelTimer();
    timer = loop.schedule(r, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
  }

  private void cancelTimer() {
    if (timer != null) timer.cancel(false);
    timer = null;
  }

  private void onLoop(Runnable r) {
    loop.execute(r);
  }
}
