package floorcast.ops;

import com.typesafe.config.Config;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the database is: a JDBC URL with user and password. {@code DATABASE_URL} may be given in the
 * {@code postgres://user:pass@host:port/db} form (converted here) or as a JDBC URL.
 */
public record DatabaseSettings(String jdbcUrl, String user, String password) {

  /** True when {@code floorcast.database.url} is empty: the node starts its embedded PostgreSQL. */
  public static boolean embedded(Config config) {
    return config.getString("floorcast.database.url").isBlank();
  }

  public static DatabaseSettings external(Config config) {
    return parse(
        config.getString("floorcast.database.url"),
        config.getString("floorcast.database.user"),
        config.getString("floorcast.database.password"));
  }

  static DatabaseSettings parse(String url, String user, String password) {
    String u = url.trim();
    if (u.startsWith("jdbc:postgresql:")) {
      return new DatabaseSettings(withBatchedInserts(u), user, password);
    }
    if (u.startsWith("postgres://") || u.startsWith("postgresql://")) {
      URI uri = URI.create(u);
      String userInfo = uri.getRawUserInfo();
      String parsedUser = user;
      String parsedPassword = password;
      if (userInfo != null && !userInfo.isEmpty()) {
        int colon = userInfo.indexOf(':');
        parsedUser = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
        if (colon >= 0) parsedPassword = decode(userInfo.substring(colon + 1));
      }
      int port = uri.getPort() > 0 ? uri.getPort() : 5432;
      String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "/postgres" : uri.getPath();
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return new DatabaseSettings(
          withBatchedInserts("jdbc:postgresql://" + uri.getHost() + ":" + port + db + query),
          parsedUser,
          parsedPassword);
    }
    throw new IllegalArgumentException("DATABASE_URL must be a postgres:// or jdbc:postgresql:// URL");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The journal relies on multi-row inserts (stack guide P3). */
  static String withBatchedInserts(String jdbcUrl) {
    if (jdbcUrl.contains("reWriteBatchedInserts")) return jdbcUrl;
    return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  /** Never log the password. */
  @Override
  public String toString() {
    return "DatabaseSettings[" + jdbcUrl.replaceAll("password=[^&]*", "password=***") + ", user=" + user + "]";
  }
}
