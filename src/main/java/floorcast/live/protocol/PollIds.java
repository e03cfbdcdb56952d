package floorcast.live.protocol;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Cluster-unique poll ids (protocol.md §11.1) from the PostgreSQL sequence {@code poll_id_seq} (V2 migration:
 * bigint, capped at 2^53−1, started above imported ids). Depends only on the database, not on any node. Blocking
 * JDBC runs on {@code blocking}, never on actor threads.
 */
public final class PollIds {
  private final DataSource dataSource;
  private final Executor blocking;

  public PollIds(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  public CompletionStage<Long> next() {
    return CompletableFuture.supplyAsync(this::nextBlocking, blocking);
  }

  private long nextBlocking() {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT nextval('poll_id_seq')")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }
}
