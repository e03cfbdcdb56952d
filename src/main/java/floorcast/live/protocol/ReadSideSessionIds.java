package floorcast.live.protocol;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Whether a session id exists in the read-side {@code sessions} table (protocol.md §3.1 step 3: an id imported
 * from Pika! without a live session is an ended id). Blocking JDBC runs on {@code blocking}.
 */
public final class ReadSideSessionIds {
  private final DataSource dataSource;
  private final Executor blocking;

  public ReadSideSessionIds(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  public CompletionStage<Boolean> exists(String sessionId) {
    return CompletableFuture.supplyAsync(() -> existsBlocking(sessionId), blocking);
  }

  private boolean existsBlocking(String sessionId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement("SELECT 1 FROM sessions WHERE id = ?")) {
      st.setString(1, sessionId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }
}
