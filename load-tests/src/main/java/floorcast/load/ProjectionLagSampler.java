package floorcast.load;

import com.typesafe.config.ConfigFactory;
import floorcast.ops.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Measures how far a journal → read-side projection lags its journal, from outside, on its own JDBC connection.
 * Every {@code sampleMillis}: (1) read the journal rows written since the last sample (ordering, tag,
 * {@code write_timestamp}: the writer's clock when the journal wrote the event, just before its insert), (2) read
 * the projection's committed offsets per tag ({@code pekko_projection_offset_store}; for the JDBC read journal an
 * offset is the journal {@code ordering}, committed in the same transaction as the rows, so every event of that tag
 * up to it is visible). An event's lag is the sample instant at which its tag's offset is first seen at or past it,
 * minus its write timestamp: an upper bound, at most one sample interval (plus the sample's own duration) above the
 * true visibility time.
 *
 * <p>Orderings are assigned at insert and committed out of order by concurrent writers: an ordering skipped over is
 * remembered and looked for again on later samples; one still missing after 10 s (a rolled-back insert) is dropped.
 * Lag is recorded for events written inside the window ({@link #openWindow} … {@link #closeWindow}); the backlog
 * (events written but not yet projected, and the age of the oldest) is sampled inside the window.
 */
final class ProjectionLagSampler {
  private static final long MISSING_EXPIRY_MS = 10_000;
  private static final int BATCH = 100_000;
  private static final long REPORT_EVERY_MS = 5_000;

  private final DatabaseSettings database;
  private final String projectionName;
  private final long sampleMillis;
  private final Map<String, PriorityQueue<long[]>> pending = new HashMap<>(); // tag → {ordering, writeTs}
  private final TreeMap<Long, Long> missing = new TreeMap<>(); // ordering → when first noticed missing
  private long maxSeen;
  private Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  private volatile long windowStart = Long.MAX_VALUE, windowEnd = Long.MAX_VALUE;
  /** Written by the sampler thread only; read after {@link #stop}. */
  final Histogram lag = new Histogram(3_600_000L, 3);
  final Histogram backlogAge = new Histogram(3_600_000L, 3);
  long projectedInWindow, writtenInWindow, backlogMax, expiredGaps, samples, longestSampleGapMs;
  private final Histogram intervalLag = new Histogram(3_600_000L, 3);
  private long intervalProjected, intervalWritten, intervalStart, firstSample;

  volatile long lastSampleMs;
  volatile long lastBacklog = -1;

  ProjectionLagSampler(DatabaseSettings database, String projectionName, long sampleMillis) {
    this.database = database;
    this.projectionName = projectionName;
    this.sampleMillis = sampleMillis;
  }

  void start() {
    thread = new Thread(this::run, "projection-lag-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  void openWindow(long nowMs) {
    windowStart = nowMs;
  }

  void closeWindow(long nowMs) {
    windowEnd = nowMs;
  }

  /** Waits until a sample taken after {@code afterMs} shows no unprojected event; the time after it, or −1. */
  long awaitCaughtUp(long afterMs, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      check();
      if (lastSampleMs > afterMs && lastBacklog == 0) return lastSampleMs - afterMs;
      Thread.sleep(Math.max(10, sampleMillis / 4));
    }
    return -1;
  }

  void stop() throws InterruptedException {
    running = false;
    thread.join(30_000);
    check();
  }

  private void check() {
    if (failure != null) throw new IllegalStateException("lag sampler failed", failure);
  }

  private void run() {
    try (Connection db = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password())) {
      db.setAutoCommit(true);
      // the read journal's planner settings (persistence.conf): otherwise, on the fast-growing journal, the planner
      // may join event_tag whole and this harness becomes the database's largest load (52 of 146 active samples)
      try (Statement s = db.createStatement()) {
        s.execute(ConfigFactory.load().getString(
            "pekko-persistence-jdbc.shared-databases.read-journal.db.connectionInitSql"));
      }
      long previous = 0;
      while (running) {
        long begin = System.currentTimeMillis();
        sample(db);
        if (previous > 0) longestSampleGapMs = Math.max(longestSampleGapMs, lastSampleMs - previous);
        previous = lastSampleMs;
        long sleep = sampleMillis - (System.currentTimeMillis() - begin);
        if (sleep > 0) Thread.sleep(sleep);
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  private void sample(Connection db) throws SQLException {
    readJournal(db);
    Map<String, Long> offsets = readOffsets(db);
    long now = System.currentTimeMillis();
    boolean inWindow = now >= windowStart && now < windowEnd;
    long backlog = 0;
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<String, PriorityQueue<long[]>> e : pending.entrySet()) {
      long offset = offsets.getOrDefault(e.getKey(), 0L);
      PriorityQueue<long[]> queue = e.getValue();
      while (!queue.isEmpty() && queue.peek()[0] <= offset) {
        long writeTs = queue.poll()[1];
        if (writeTs >= windowStart && writeTs < windowEnd) {
          long ms = Math.max(0, now - writeTs);
          lag.recordValue(Math.min(ms, lag.getHighestTrackableValue()));
          intervalLag.recordValue(Math.min(ms, lag.getHighestTrackableValue()));
        }
        if (inWindow) projectedInWindow++;
        intervalProjected++;
      }
      backlog += queue.size();
      if (!queue.isEmpty()) oldest = Math.min(oldest, queue.peek()[1]);
    }
    if (inWindow) {
      backlogMax = Math.max(backlogMax, backlog);
      backlogAge.recordValue(oldest == Long.MAX_VALUE ? 0 : Math.min(Math.max(0, now - oldest), 3_600_000L));
    }
    samples++;
    lastSampleMs = now;
    lastBacklog = backlog;
    report(now, backlog, oldest);
  }

  /** New journal rows since the last sample, plus orderings that were skipped over earlier. */
  private void readJournal(Connection db) throws SQLException {
    long now = System.currentTimeMillis();
    Map<Long, List<Object[]>> rows = new LinkedHashMap<>();
    try (PreparedStatement q = db.prepareStatement(
        "SELECT j.ordering, j.write_timestamp, t.tag FROM event_journal j LEFT JOIN event_tag t ON t.event_id = j.ordering"
            + " WHERE j.ordering > ? ORDER BY j.ordering LIMIT " + BATCH)) {
      q.setLong(1, maxSeen);
      collect(q, rows);
    }
    if (!missing.isEmpty()) {
      try (PreparedStatement q = db.prepareStatement(
          "SELECT j.ordering, j.write_timestamp, t.tag FROM event_journal j LEFT JOIN event_tag t ON t.event_id = j.ordering"
              + " WHERE j.ordering = ANY(?)")) {
        q.setArray(1, db.createArrayOf("bigint", missing.keySet().toArray()));
        collect(q, rows);
      }
    }
    for (Map.Entry<Long, List<Object[]>> e : rows.entrySet()) {
      long ordering = e.getKey();
      if (ordering > maxSeen) {
        for (long gap = maxSeen + 1; gap < ordering; gap++) missing.put(gap, now);
        maxSeen = ordering;
      } else if (missing.remove(ordering) == null) {
        continue; // already seen
      }
      for (Object[] row : e.getValue()) {
        String tag = (String) row[1];
        if (tag == null) continue; // untagged (not a session event): no projection reads it
        long writeTs = (Long) row[0];
        if (writeTs <= 0) throw new IllegalStateException("journal row " + ordering + " has no write_timestamp");
        pending.computeIfAbsent(tag, t -> new PriorityQueue<>(Comparator.comparingLong(a -> a[0])))
            .add(new long[] {ordering, writeTs});
        if (writeTs >= windowStart && writeTs < windowEnd) writtenInWindow++;
        intervalWritten++;
      }
    }
    missing.values().removeIf(since -> {
      boolean expired = now - since > MISSING_EXPIRY_MS;
      if (expired) expiredGaps++;
      return expired;
    });
  }

  private static void collect(PreparedStatement q, Map<Long, List<Object[]>> rows) throws SQLException {
    try (ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        rows.computeIfAbsent(rs.getLong(1), o -> new ArrayList<>()).add(new Object[] {rs.getLong(2), rs.getString(3)});
      }
    }
  }

  private Map<String, Long> readOffsets(Connection db) throws SQLException {
    Map<String, Long> offsets = new HashMap<>();
    try (PreparedStatement q = db.prepareStatement(
        "SELECT projection_key, current_offset FROM pekko_projection_offset_store WHERE projection_name = ?")) {
      q.setString(1, projectionName);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) offsets.put(rs.getString(1), Long.parseLong(rs.getString(2).trim()));
      }
    }
    return offsets;
  }

  /** One line every 5 s: written and projected events/s, backlog, oldest unprojected, lag p99 of the interval. */
  private void report(long now, long backlog, long oldest) {
    if (firstSample == 0) firstSample = intervalStart = now;
    if (now - intervalStart < REPORT_EVERY_MS) return;
    double secs = (now - intervalStart) / 1000.0;
    System.out.printf(
        "lag +%3ds written/s=%.0f projected/s=%.0f backlog=%d oldest_unprojected_ms=%d lag_p99_ms=%d (n=%d)%n",
        (now - firstSample) / 1000, intervalWritten / secs, intervalProjected / secs, backlog,
        oldest == Long.MAX_VALUE ? 0 : now - oldest, intervalLag.getValueAtPercentile(99), intervalLag.getTotalCount());
    intervalLag.reset();
    intervalProjected = 0;
    intervalWritten = 0;
    intervalStart = now;
  }
}
