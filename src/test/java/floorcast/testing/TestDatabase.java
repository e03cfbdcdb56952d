package floorcast.testing;

import floorcast.ops.DatabaseSettings;
import floorcast.ops.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL for tests: one embedded server per test JVM (fsync off for speed: durability is a property of
 * the run mode, not of test assertions), and a fresh, migrated database per call to {@link #fresh()} so test
 * classes never see each other's journals.
 */
public final class TestDatabase {
  private static EmbeddedPostgres server;
  private static final AtomicInteger counter = new AtomicInteger();

  private TestDatabase() {}

  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-");
        server =
            EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(true)
                .setServerConfig("max_connections", "400")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .start();
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        server.close();
                      } catch (IOException ignored) {
                        // JVM is exiting
                      }
                    }));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return server;
  }

  /** A new, empty database with Floorcast's migrations applied. */
  public static DatabaseSettings fresh() {
    String name = "t" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    DatabaseSettings settings =
        new DatabaseSettings(
            server().getJdbcUrl("postgres", name) + "&reWriteBatchedInserts=true", "postgres", "");
    Migrations.migrate(dataSource(settings));
    return settings;
  }

  /** The name of a database made by {@link #fresh()} (to drop it, or refuse its connections, from the server). */
  public static String name(DatabaseSettings settings) {
    return settings.jdbcUrl().replaceAll(".*/([^/?]+)\\?.*", "$1");
  }

  public static DataSource dataSource(DatabaseSettings settings) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(settings.jdbcUrl());
    ds.setUser(settings.user());
    ds.setPassword(settings.password());
    return ds;
  }
}
