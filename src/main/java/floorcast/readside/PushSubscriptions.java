package floorcast.readside;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/** Web Push subscriptions (rest.md §4.9): stored only, nothing is sent yet. */
public final class PushSubscriptions {
  public static final int MAX_ENDPOINT_LENGTH = 2048;

  /** {@code clientId} may be null (then an existing row keeps its client id). */
  public record Subscription(String endpoint, String p256dh, String auth, String clientId) {
    public boolean valid() {
      return validEndpoint(endpoint)
          && p256dh != null && !p256dh.isEmpty() && StoredText.storable(p256dh)
          && auth != null && !auth.isEmpty() && StoredText.storable(auth)
          && (clientId == null || StoredText.storable(clientId));
    }
  }

  private final DataSource dataSource;

  public PushSubscriptions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  static boolean validEndpoint(String endpoint) {
    if (endpoint == null || endpoint.isEmpty() || endpoint.length() > MAX_ENDPOINT_LENGTH || !StoredText.storable(endpoint)) {
      return false;
    }
    try {
      URI uri = new URI(endpoint);
      return uri.isAbsolute() && "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && !uri.getHost().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Insert, or update keys, client id (only if given) and clear the opt-out marker. */
  public void upsert(Subscription s, Instant now) throws SQLException {
    if (!s.valid()) throw new IllegalArgumentException("invalid subscription");
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO push_subscriptions (endpoint, p256dh, auth, client_id, created_at) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (endpoint) DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,"
                    + " client_id = COALESCE(EXCLUDED.client_id, push_subscriptions.client_id), unsubscribed_at = NULL")) {
      ps.setString(1, s.endpoint());
      ps.setString(2, s.p256dh());
      ps.setString(3, s.auth());
      ps.setString(4, s.clientId());
      ps.setObject(5, SqlTime.utc(now));
      ps.executeUpdate();
    }
  }
}
