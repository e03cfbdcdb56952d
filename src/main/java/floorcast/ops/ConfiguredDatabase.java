package floorcast.ops;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The database a command works on: the external one of {@code DATABASE_URL} / HOCON, or else the embedded
 * PostgreSQL under {@code floorcast.database.embedded.data-dir}, started here and stopped by {@link #close}.
 */
public record ConfiguredDatabase(DatabaseSettings settings, EmbeddedDatabase embedded) implements AutoCloseable {

  public static ConfiguredDatabase open(Config config) throws IOException {
    if (!DatabaseSettings.embedded(config)) return new ConfiguredDatabase(DatabaseSettings.external(config), null);
    EmbeddedDatabase embedded =
        EmbeddedDatabase.start(
            Path.of(config.getString("floorcast.database.embedded.data-dir")),
            config.getInt("floorcast.database.embedded.port"),
            config.getBoolean("floorcast.database.embedded.durable"));
    return new ConfiguredDatabase(embedded.settings(), embedded);
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) embedded.close();
  }
}
