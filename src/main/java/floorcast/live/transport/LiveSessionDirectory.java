package floorcast.live.transport;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import floorcast.live.LiveSessions;
import floorcast.ops.PekkoCompletion;
import floorcast.session.SessionCommand;
import floorcast.session.SessionSharding;
import floorcast.session.SessionSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of every live session in the cluster (the lobby of protocol.md §4.2, VALIDATE_SESSION, REST
 * lists, the session cap of §16). Fed by the lobby topic ({@code SessionPublisher.summaryChanged}); bootstrapped at
 * node start from the read side ({@code sessions} rows without {@code ended_at}) and a {@code GetSummary} to each of
 * those entities. The bootstrap tolerates failures: it logs them and retries with back-off.
 */
public final class LiveSessionDirectory implements LiveSessions {
  private static final Logger log = LoggerFactory.getLogger(LiveSessionDirectory.class);
  private static final int ASK_BATCH = 64;
  private static final int ASK_ROUNDS = 5;
  private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final ConcurrentHashMap<String, SessionSummary> live = new ConcurrentHashMap<>();
  /** §7.1: an ended id never becomes live again, so a late (older) summary must not resurrect it. */
  private final Cache<String, Boolean> ended =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofHours(24)).build();
  private final AtomicBoolean bootstrapped = new AtomicBoolean();
  /** Bumped after every change of {@link #live}; read before a snapshot is taken, so a stamp never runs ahead. */
  private final AtomicLong version = new AtomicLong();
  /** Bumped (before {@link #version}) when a session is listed or unlisted or its {@code startedAt} changes. */
  private final AtomicLong membership = new AtomicLong();
  /**
   * The sorted list of one version: GET_SESSIONS and REST lists read it far more often than sessions change. The
   * order of one membership is kept apart: most changes are a track or a listener count, which do not reorder.
   */
  private volatile Sorted sorted = new Sorted(-1, List.of());
  private volatile Order order = new Order(-1, List.of());

  private record Sorted(long version, List<SessionSummary> sessions) {}

  private record Order(long membership, List<String> sessionIds) {}

  /** A summary from the lobby topic: the newest word on that session. */
  public void apply(SessionSummary summary) {
    if (summary == null || summary.sessionId() == null) return;
    if (!summary.live()) {
      ended.put(summary.sessionId(), Boolean.TRUE);
      if (live.remove(summary.sessionId()) != null) changed(true);
    } else if (ended.getIfPresent(summary.sessionId()) == null) {
      SessionSummary previous = live.put(summary.sessionId(), summary);
      if (!summary.equals(previous)) {
        changed(previous == null || !Objects.equals(previous.startedAt(), summary.startedAt()));
      }
    }
  }

  /** A summary asked for during bootstrap: never overrides one the topic already delivered. */
  void applyBootstrap(SessionSummary summary) {
    if (summary == null || summary.sessionId() == null) return;
    if (!summary.live()) {
      apply(summary); // an entity that says it has ended is final (§7.1)
      return;
    }
    if (ended.getIfPresent(summary.sessionId()) == null && live.putIfAbsent(summary.sessionId(), summary) == null) {
      changed(true);
    }
  }

  private void changed(boolean reordered) {
    if (reordered) membership.incrementAndGet();
    version.incrementAndGet();
  }

  /** Live sessions, oldest {@code startedAt} first; unmodifiable, shared by every caller until the next change. */
  @Override
  public List<SessionSummary> liveSessions() {
    Sorted last = sorted;
    long now = version.get(); // before what it stamps: a change after this read makes the next call rebuild
    if (last.version() == now) return last.sessions();
    long members = membership.get();
    Order known = order;
    List<SessionSummary> all;
    if (known.membership() == members) { // same sessions, same order: only summaries changed
      all = new ArrayList<>(known.sessionIds().size());
      for (String id : known.sessionIds()) {
        SessionSummary s = live.get(id);
        if (s != null) all.add(s); // unlisted since: the version has moved on, the next call rebuilds
      }
    } else {
      all = new ArrayList<>(live.values());
      all.sort(SessionSummary.OLDEST_FIRST);
      List<String> ids = new ArrayList<>(all.size());
      for (SessionSummary s : all) ids.add(s.sessionId());
      order = new Order(members, ids);
    }
    Sorted fresh = new Sorted(now, Collections.unmodifiableList(all));
    sorted = fresh;
    return fresh.sessions();
  }

  @Override
  public long version() {
    return version.get();
  }

  @Override
  public int count() {
    return live.size();
  }

  @Override
  public Optional<SessionSummary> get(String sessionId) {
    return Optional.ofNullable(live.get(sessionId));
  }

  /** The bootstrap has asked every session the read side lists (successfully or after its retries). */
  public boolean bootstrapped() {
    return bootstrapped.get();
  }

  /** Starts the bootstrap in the background: JDBC on {@code blocking}, asks through sharding. */
  void bootstrap(ActorSystem<?> system, DataSource dataSource, Executor blocking, Duration askTimeout) {
    new Bootstrap(system, dataSource, blocking, askTimeout).loadIds(FIRST_RETRY);
  }

  private final class Bootstrap {
    private final ActorSystem<?> system;
    private final DataSource dataSource;
    private final Executor blocking;
    private final Duration askTimeout;

    Bootstrap(ActorSystem<?> system, DataSource dataSource, Executor blocking, Duration askTimeout) {
      this.system = system;
      this.dataSource = dataSource;
      this.blocking = blocking;
      this.askTimeout = askTimeout;
    }

    void loadIds(Duration nextDelay) {
      CompletableFuture.supplyAsync(this::openSessionIds, blocking)
          .whenComplete(
              (ids, error) -> {
                if (error != null) {
                  log.warn("live directory bootstrap: reading open sessions failed, retrying in {}: {}", nextDelay, error.toString());
                  later(nextDelay, () -> loadIds(backOff(nextDelay)));
                } else {
                  log.info("live directory bootstrap: {} open session(s) in the read side", ids.size());
                  askAll(ids, 1, FIRST_RETRY);
                }
              });
    }

    private List<String> openSessionIds() {
      try (Connection c = dataSource.getConnection();
          PreparedStatement st = c.prepareStatement("SELECT id FROM sessions WHERE ended_at IS NULL")) {
        st.setQueryTimeout(30);
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) ids.add(rs.getString(1));
        }
        return ids;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    private void askAll(List<String> ids, int round, Duration nextDelay) {
      if (system.getWhenTerminated().toCompletableFuture().isDone()) return;
      List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      for (int from = 0; from < ids.size(); from += ASK_BATCH) {
        List<String> batch = ids.subList(from, Math.min(ids.size(), from + ASK_BATCH));
        chain = chain.thenCompose(x -> askBatch(batch, failed));
      }
      chain.whenComplete(
          (x, error) -> {
            if (failed.isEmpty()) {
              bootstrapped.set(true);
            } else if (round >= ASK_ROUNDS) {
              log.warn("live directory bootstrap: {} session(s) did not answer after {} rounds; the lobby topic will fill them in", failed.size(), round);
              bootstrapped.set(true);
            } else {
              log.info("live directory bootstrap: {} session(s) did not answer, retrying in {}", failed.size(), nextDelay);
              List<String> retry = List.copyOf(failed);
              later(nextDelay, () -> askAll(retry, round + 1, backOff(nextDelay)));
            }
          });
    }

    private CompletionStage<Void> askBatch(List<String> batch, List<String> failed) {
      CompletableFuture<?>[] asks = new CompletableFuture<?>[batch.size()];
      for (int i = 0; i < batch.size(); i++) {
        String id = batch.get(i);
        CompletionStage<SessionSummary> ask;
        try {
          ask =
              PekkoCompletion.on(
                  SessionSharding.entityRef(system, id).ask(SessionCommand.GetSummary::new, askTimeout),
                  system.executionContext());
        } catch (RuntimeException e) { // sharding not started yet
          ask = CompletableFuture.failedFuture(e);
        }
        asks[i] =
            ask.handle(
                    (summary, error) -> {
                      if (error != null) {
                        failed.add(id);
                      } else {
                        applyBootstrap(summary);
                      }
                      return null;
                    })
                .toCompletableFuture();
      }
      return CompletableFuture.allOf(asks);
    }

    private void later(Duration delay, Runnable task) {
      if (system.getWhenTerminated().toCompletableFuture().isDone()) return;
      try {
        system.scheduler().scheduleOnce(delay, task, system.executionContext());
      } catch (IllegalStateException e) {
        log.debug("live directory bootstrap stopped: {}", e.toString()); // scheduler shut down
      }
    }

    private Duration backOff(Duration d) {
      Duration next = d.multipliedBy(2);
      return next.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : next;
    }
  }
}
