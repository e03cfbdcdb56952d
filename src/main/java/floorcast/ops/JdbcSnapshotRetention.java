package floorcast.ops;

import floorcast.session.SnapshotRetention;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a session's snapshots older than its newest {@code keep} from the journal's snapshot table (V1 migration),
 * on the node's JDBC threads after each stored snapshot. A failed delete is only logged: the next snapshot's
 * delete removes everything older again, and the newest snapshots are never touched.
 */
public final class JdbcSnapshotRetention implements SnapshotRetention {
  /** Snapshots a node keeps per session. */
  public static final int NEWEST_KEPT = 2;

  private static final Logger log = LoggerFactory.getLogger(JdbcSnapshotRetention.class);
  private static final String DELETE_OLDER =
      "DELETE FROM public.snapshot WHERE persistence_id = ? AND sequence_number < "
          + "(SELECT min(sequence_number) FROM (SELECT sequence_number FROM public.snapshot "
          + "WHERE persistence_id = ? ORDER BY sequence_number DESC LIMIT ?) newest)";

  private final DataSource dataSource;
  private final Executor blocking;
  private final int keep;

  public JdbcSnapshotRetention(DataSource dataSource, Executor blocking, int keep) {
    if (keep < 1) throw new IllegalArgumentException("keep at least one snapshot, was " + keep);
    this.dataSource = dataSource;
    this.blocking = blocking;
    this.keep = keep;
  }

  @Override
  public void snapshotStored(String persistenceId, long sequenceNr) {
    try {
      blocking.execute(() -> deleteOlder(persistenceId));
    } catch (RejectedExecutionException e) {
      log.debug("snapshot retention of {} skipped: the node is stopping", persistenceId);
    }
  }

  /** Deletes the snapshots of {@code persistenceId} older than its newest {@code keep}. */
  private void deleteOlder(String persistenceId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(DELETE_OLDER)) {
      st.setString(1, persistenceId);
      st.setString(2, persistenceId);
      st.setInt(3, keep);
      st.executeUpdate();
    } catch (SQLException e) {
      log.warn("could not delete old snapshots of {} (retried after its next snapshot): {}", persistenceId, e.toString());
    }
  }
}
