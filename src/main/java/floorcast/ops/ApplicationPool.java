package floorcast.ops;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The node's JDBC pool for the read side and accounts (the journal's pool is configured in persistence.conf). */
public final class ApplicationPool {
  private ApplicationPool() {}

  public static HikariDataSource create(DatabaseSettings db, int size, String applicationName) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(db.jdbcUrl());
    hc.setUsername(db.user());
    hc.setPassword(db.password());
    hc.setMaximumPoolSize(size);
    hc.setMinimumIdle(Math.min(2, size));
    hc.setConnectionTimeout(5_000);
    hc.setValidationTimeout(2_000);
    hc.setPoolName("floorcast-app");
    hc.addDataSourceProperty("ApplicationName", applicationName);
    return new HikariDataSource(hc);
  }
}
