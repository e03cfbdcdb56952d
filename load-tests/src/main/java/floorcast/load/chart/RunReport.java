package floorcast.load.chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures a chart needs from one scenario report (load-tests/results/&lt;scenario&gt;-&lt;date&gt;.txt, written by
 * lib/coordinator.sh and floorcast.load.ws.LoadReport; format in load-tests/README.md "Reading the report").
 * Absent figures are empty (older reports have no heap line; a run without deliveries has no latency).
 */
record RunReport(
    Path file,
    String scenario,
    String date,
    String machine,
    double loadBefore,
    Server server,
    int dancers,
    OptionalDouble deliveryP50,
    OptionalDouble deliveryP99,
    long expected,
    long received,
    OptionalDouble rssEndMb,
    OptionalDouble heapAfterGcMb) {

  /** The server a run measured, from the report's {@code server  :} line (lib/coordinator.sh's server_kind). */
  enum Server {
    FLOORCAST,
    /** The bare NIO floor ({@code --floor}). */
    FLOOR,
    /** pekko-http's frame-level relay ({@code --floor pekko-frame}): the transport Floorcast's gateway uses. */
    PEKKO_FRAME,
    /** pekko-http's message-API relay ({@code --floor pekko-message}): compared in docs/benchmarks.md, not charted. */
    PEKKO_MESSAGE,
    /** A node started with extra JVM flags (profiling, experiments): not charted. */
    FLOORCAST_WITH_FLAGS;

    static Server of(String kind) {
      if (kind.startsWith("floor")) return FLOOR;
      if (kind.startsWith("pekko-http frame-level")) return PEKKO_FRAME;
      if (kind.startsWith("pekko-http")) return PEKKO_MESSAGE;
      if (kind.contains("NODE_JAVA_OPTS")) return FLOORCAST_WITH_FLAGS;
      return FLOORCAST;
    }
  }

  private static final Pattern HEADER = Pattern.compile("^## (\\S+)\\s+(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}) UTC");
  private static final Pattern MACHINE = Pattern.compile("^machine : (.*?), load average before run: ([\\d.]+)[^;]*;\\s*(.*)$");
  private static final Pattern DANCERS = Pattern.compile("^load processes\\s+\\d+, dancers (\\d+)");
  private static final Pattern DELIVERY = Pattern.compile("^delivery \\(ms\\)\\s+n=\\d+ p50=([\\d.]+) .*p99=([\\d.]+) ");
  private static final Pattern DELIVERIES = Pattern.compile("^deliveries\\s+expected (\\d+), received (\\d+)");
  private static final Pattern RSS_END = Pattern.compile("rss_at_measure_end_mb=(\\d+)");
  private static final Pattern HEAP = Pattern.compile("heap_after_last_gc_mb=(\\d+)");

  /** Parses a report; throws IllegalArgumentException when it is not one (no header or no dancers line). */
  static RunReport parse(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    String scenario = null, date = null, machine = "?";
    double load = Double.NaN;
    Server server = Server.FLOORCAST;
    int dancers = -1;
    OptionalDouble p50 = OptionalDouble.empty(), p99 = OptionalDouble.empty();
    OptionalDouble rss = OptionalDouble.empty(), heap = OptionalDouble.empty();
    long expected = 0, received = 0;
    for (String line : lines) {
      Matcher m;
      if ((m = HEADER.matcher(line)).find()) {
        scenario = m.group(1);
        date = m.group(2);
      } else if ((m = MACHINE.matcher(line)).find()) {
        String jdk = m.group(3).replaceFirst("^openjdk version \"([^\"]+)\".*", "OpenJDK $1");
        machine = m.group(1) + ", " + jdk;
        load = Double.parseDouble(m.group(2));
      } else if (line.startsWith("server  : ")) {
        server = Server.of(line.substring(10));
      } else if ((m = DANCERS.matcher(line)).find()) {
        dancers = Integer.parseInt(m.group(1));
      } else if ((m = DELIVERY.matcher(line)).find()) {
        p50 = OptionalDouble.of(Double.parseDouble(m.group(1)));
        p99 = OptionalDouble.of(Double.parseDouble(m.group(2)));
      } else if ((m = DELIVERIES.matcher(line)).find()) {
        expected = Long.parseLong(m.group(1));
        received = Long.parseLong(m.group(2));
      }
      if (line.startsWith("server ") && (m = RSS_END.matcher(line)).find()) rss = OptionalDouble.of(Double.parseDouble(m.group(1)));
      if (line.startsWith("server ") && (m = HEAP.matcher(line)).find()) heap = OptionalDouble.of(Double.parseDouble(m.group(1)));
    }
    if (scenario == null || dancers < 0) throw new IllegalArgumentException(file + " is not a scenario report");
    return new RunReport(file, scenario, date, machine, load, server, dancers, p50, p99, expected, received, rss, heap);
  }
}
