package floorcast.ops;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Runs the Flyway migrations in {@code db/migration} before the node joins the cluster. Flyway serialises
 * concurrent runs with an advisory lock, so every node may migrate at start.
 */
public final class Migrations {
  private Migrations() {}

  public static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .cleanDisabled(true)
        .validateOnMigrate(true)
        .load()
        .migrate();
  }
}
