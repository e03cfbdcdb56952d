package floorcast.load.ws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * After a run against a cluster it owns (rolling-restart): every broadcast a DJ got an ACK for must be in the
 * journal (the ACK is sent after the event is persisted), and the journal invariants of deploy/integrity.sql must
 * hold (0 rows). Reads the load processes' p&lt;k&gt;.acked files (one unique track title per line; the title holds
 * the intended send stamp, so it names exactly one broadcast) and the session journals of this run.
 * Prints "key=value" lines for the report. Usage: JournalCheck &lt;jdbc-url&gt; &lt;results-folder&gt; &lt;run-id&gt; &lt;integrity.sql&gt;
 */
public final class JournalCheck {
  private static final Pattern TITLE = Pattern.compile("\"title\"\\s*:\\s*\"(Load s\\d+ n\\d+ #t=-?\\d+)\"");

  private JournalCheck() {}

  public static void main(String[] args) throws IOException, SQLException {
    String url = args[0];
    Path dir = Path.of(args[1]);
    String runId = args[2];
    Path integrity = Path.of(args[3]);
    List<String> acked = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".acked")).toList()) {
        acked.addAll(Files.readAllLines(p));
      }
    }
    Set<String> journaled = new HashSet<>();
    long integrityRows = 0;
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT convert_from(event_payload, 'UTF8') FROM event_journal WHERE persistence_id LIKE ?")) {
        s.setString(1, "DjSession|load\\_" + runId + "\\_s%");
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            Matcher m = TITLE.matcher(r.getString(1));
            while (m.find()) journaled.add(m.group(1));
          }
        }
      }
      String sql = Files.readString(integrity).replaceAll("(?m)--.*$", "").trim();
      if (sql.endsWith(";")) sql = sql.substring(0, sql.length() - 1);
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
        while (r.next()) {
          integrityRows++;
          if (integrityRows <= 5) System.out.println("integrity_violation=" + r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
        }
      }
    }
    long missing = acked.stream().filter(t -> !journaled.contains(t)).count();
    System.out.printf("journal_check acked_broadcasts=%d journaled_load_tracks=%d acked_missing_from_journal=%d integrity_sql_rows=%d%n",
        acked.size(), journaled.size(), missing, integrityRows);
  }
}
