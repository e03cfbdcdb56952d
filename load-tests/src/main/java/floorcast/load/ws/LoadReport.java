package floorcast.load.ws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Merges the load processes' results (HdrHistogram logs added, counters summed) and prints the report: latency
 * percentiles over all deliveries, deliveries/s, expected vs received deliveries, failures by kind, client CPU,
 * and the coordinator's server figures (server.stats). Expected deliveries = for every ACKed broadcast stamped in
 * the measure window, the dancers of its session subscribed at that instant (performance.md §6.4).
 * Usage: LoadReport &lt;results-folder&gt; &lt;measure-seconds&gt;
 */
public final class LoadReport {
  private LoadReport() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    double measureSeconds = Double.parseDouble(args[1]);
    Map<String, Histogram> histograms = new TreeMap<>();
    Map<String, Double> stats = new TreeMap<>();
    Map<Long, List<Long>> starts = new HashMap<>(), ends = new HashMap<>();
    List<long[]> broadcasts = new ArrayList<>();
    int processes = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        String name = p.getFileName().toString();
        if (!name.startsWith("p")) continue;
        if (name.endsWith(".hlog")) {
          processes++;
          HistogramLogReader reader = new HistogramLogReader(p.toFile());
          EncodableHistogram h;
          while ((h = reader.nextIntervalHistogram()) != null) {
            histograms.computeIfAbsent(h.getTag(), t -> new Histogram(LoadRun.HIGHEST_MICROS, 3)).add((Histogram) h);
          }
        } else if (name.endsWith(".stats")) {
          for (String line : Files.readAllLines(p)) {
            int eq = line.indexOf('=');
            if (eq > 0) stats.merge(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)), Double::sum);
          }
        } else if (name.endsWith(".bcast")) {
          for (String line : Files.readAllLines(p)) {
            String[] f = line.split(" ");
            broadcasts.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
          }
        } else if (name.endsWith(".subs")) {
          for (String line : Files.readAllLines(p)) {
            String[] f = line.split(" ");
            long session = Long.parseLong(f[0]);
            starts.computeIfAbsent(session, s -> new ArrayList<>()).add(Long.parseLong(f[1]));
            ends.computeIfAbsent(session, s -> new ArrayList<>()).add(Long.parseLong(f[2]));
          }
        }
      }
    }
    long expected = expected(broadcasts, starts, ends);
    Histogram delivery = histograms.getOrDefault("delivery", new Histogram(LoadRun.HIGHEST_MICROS, 3));
    long received = delivery.getTotalCount();

    StringBuilder r = new StringBuilder();
    r.append(String.format("load processes          %d, dancers %d%n", processes, (long) get(stats, "dancers")));
    r.append(String.format("broadcasts              sent %d, accepted %d, accepted in window %d%n",
        (long) get(stats, "broadcasts_sent"), (long) get(stats, "broadcasts_accepted"), broadcasts.size()));
    r.append(String.format("deliveries              expected %d, received %d, missing %d (%.3f %%), before subscribe-ACK %d%n",
        expected, received, Math.max(0, expected - received),
        expected == 0 ? 0.0 : 100.0 * Math.max(0, expected - received) / expected,
        (long) get(stats, "received_before_subscribed")));
    r.append(String.format("deliveries/s            %.0f (received in window / %.1f s)%n", received / measureSeconds, measureSeconds));
    for (Map.Entry<String, Histogram> e : histograms.entrySet()) {
      r.append(line(e.getKey(), e.getValue()));
    }
    r.append("counters               ");
    stats.forEach((k, v) -> {
      if (!k.startsWith("fail.") && !k.equals("client_cpu_seconds") && !k.equals("dancers")) r.append(' ').append(k).append('=').append(v.longValue());
    });
    r.append(System.lineSeparator());
    r.append("failures by kind       ");
    boolean any = false;
    for (Map.Entry<String, Double> e : stats.entrySet()) {
      if (e.getKey().startsWith("fail.")) {
        r.append(' ').append(e.getKey().substring(5)).append('=').append(e.getValue().longValue());
        any = true;
      }
    }
    r.append(any ? "" : " none").append(System.lineSeparator());
    r.append(String.format("client cpu              %.1f s total over %d processes%n", get(stats, "client_cpu_seconds"), processes));
    Path server = dir.resolve("server.stats");
    if (Files.exists(server)) {
      for (String line : Files.readAllLines(server)) r.append("server                  ").append(line).append(System.lineSeparator());
    }
    if (expected != received) {
      r.append("CHECK                   received != expected (see missing / before subscribe-ACK above)").append(System.lineSeparator());
    }
    System.out.print(r);
  }

  private static String line(String tag, Histogram h) {
    if (h.getTotalCount() == 0) return String.format("%-22s  no samples%n", tag + " (ms)");
    return String.format("%-22s  n=%d p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f%n", tag + " (ms)",
        h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  private static double get(Map<String, Double> stats, String key) {
    return stats.getOrDefault(key, 0.0);
  }

  /** Σ over broadcasts of |{subscriptions of its session with from ≤ stamp < to}|, by binary search. */
  static long expected(List<long[]> broadcasts, Map<Long, List<Long>> starts, Map<Long, List<Long>> ends) {
    Map<Long, long[]> sortedStarts = new HashMap<>(), sortedEnds = new HashMap<>();
    starts.forEach((s, l) -> sortedStarts.put(s, l.stream().mapToLong(Long::longValue).sorted().toArray()));
    ends.forEach((s, l) -> sortedEnds.put(s, l.stream().mapToLong(Long::longValue).sorted().toArray()));
    long total = 0;
    for (long[] b : broadcasts) {
      long[] st = sortedStarts.get(b[0]);
      if (st == null) continue;
      total += atMost(st, b[1]) - atMost(sortedEnds.get(b[0]), b[1]);
    }
    return total;
  }

  private static int atMost(long[] sorted, long value) {
    int i = Arrays.binarySearch(sorted, value);
    if (i < 0) return -i - 1;
    while (i + 1 < sorted.length && sorted[i + 1] == value) i++;
    return i + 1;
  }
}
