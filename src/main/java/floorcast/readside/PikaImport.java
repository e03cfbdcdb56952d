package floorcast.readside;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariDataSource;
import floorcast.ops.ApplicationPool;
import floorcast.ops.ConfiguredDatabase;
import floorcast.ops.Migrations;
import java.io.PrintStream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code floorcast import-pika --from <jdbc-url> [--from-user <u>] [--from-password <p>]}: imports a Pika! 0.3.0
 * PostgreSQL database (data.md §4) into this node's database (DATABASE_URL, or the embedded one), after running our
 * migrations. Safe to repeat. Run it while no node serves the target database.
 */
public final class PikaImport {
  private PikaImport() {}

  /** @return the process exit code */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String from = null;
    String user = null;
    String password = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) return usage(err, "missing value for " + a);
      switch (a) {
        case "--from" -> from = args[++i];
        case "--from-user" -> user = args[++i];
        case "--from-password" -> password = args[++i];
        default -> {
          return usage(err, "unknown option " + a);
        }
      }
    }
    if (from == null || !from.startsWith("jdbc:postgresql:")) return usage(err, "--from must be a jdbc:postgresql:// URL");

    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(from);
    if (user != null) source.setUser(user);
    if (password != null) source.setPassword(password);

    Config config = ConfigFactory.load();
    try (ConfiguredDatabase database = ConfiguredDatabase.open(config);
        HikariDataSource target = ApplicationPool.create(database.settings(), 2, "floorcast-import-pika")) {
      Migrations.migrate(target);
      PikaImporter.Summary summary = new PikaImporter(source, target).run();
      out.println(summary.describe());
      return 0;
    } catch (Exception e) {
      err.println("import-pika failed, nothing was imported: " + e.getMessage());
      return 1;
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println(problem);
    err.println("usage: floorcast import-pika --from <jdbc:postgresql://host:port/db> [--from-user <user>] [--from-password <password>]");
    return 2;
  }
}
