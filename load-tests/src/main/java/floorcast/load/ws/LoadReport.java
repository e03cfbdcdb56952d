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
 * With a "windows" file in the folder (lines "label start-epoch-ms end-epoch-ms", written by a scenario such as
 * rolling-restart) and per-bucket delivery histograms (--series-seconds), deliveries and expected deliveries are
 * also split into those whose broadcast was stamped in a bucket overlapping a window and the others.
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
    Map<Long, Histogram> series = new TreeMap<>();
    long seriesWidth = 0;
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
            if ("delivery_series".equals(h.getTag())) {
              seriesWidth = h.getEndTimeStamp() - h.getStartTimeStamp();
              series.computeIfAbsent(h.getStartTimeStamp(), t -> new Histogram(LoadRun.HIGHEST_MICROS, 2)).add((Histogram) h);
              continue;
            }
            histograms.computeIfAbsent(h.getTag(), t -> new Histogram(LoadRun.HIGHEST_MICROS, 3)).add((Histogram) h);
          }
        } else if (name.endsWith(".stats")) {
          for (String line : Files.readAllLines(p)) {
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            String key = line.substring(0, eq);
            // max.*: the largest of the processes' figures (they share one timeline), the rest are sums
            stats.merge(key, Double.parseDouble(line.substring(eq + 1)), key.startsWith("max.") ? Math::max : Double::sum);
          }
        } else if (name.endsWith(".bcast")) {
          for (String line : Files.readAllLines(p)) {
            String[] f = line.split(" ");
            broadcasts.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), f.length > 2 ? Long.parseLong(f[2]) : -1});
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
      if (!k.startsWith("fail.") && !k.startsWith("max.") && !k.equals("client_cpu_seconds") && !k.equals("dancers")) r.append(' ').append(k).append('=').append(v.longValue());
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
    if (stats.containsKey("max.all_subscribed_after_first_connect_ms")) {
      r.append(String.format("all subscribed          %.1f s after the first connect (last first SUBSCRIBE ACK; %d of %d dancers"
              + " subscribed at least once)%n",
          get(stats, "max.all_subscribed_after_first_connect_ms") / 1000.0, (long) get(stats, "first_subscribed"),
          (long) get(stats, "dancers")));
    }
    r.append(windowSplit(dir, series, seriesWidth, broadcasts, starts, ends));
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

  /** Deliveries and expected deliveries split by whether their broadcast's stamp bucket overlaps a window. */
  private static String windowSplit(Path dir, Map<Long, Histogram> series, long width, List<long[]> broadcasts,
      Map<Long, List<Long>> starts, Map<Long, List<Long>> ends) throws IOException {
    Path file = dir.resolve("windows");
    if (width <= 0) return "";
    if (!Files.exists(file)) return bySeries(series, width);
    List<long[]> windows = new ArrayList<>();
    StringBuilder r = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 3) continue;
      windows.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      r.append(String.format("window                  %s %.1f s%n", f[0], (Long.parseLong(f[2]) - Long.parseLong(f[1])) / 1000.0));
    }
    Histogram during = new Histogram(LoadRun.HIGHEST_MICROS, 2), outside = new Histogram(LoadRun.HIGHEST_MICROS, 2);
    for (Map.Entry<Long, Histogram> e : series.entrySet()) {
      (overlaps(windows, e.getKey(), width) ? during : outside).add(e.getValue());
    }
    List<long[]> bDuring = new ArrayList<>(), bOutside = new ArrayList<>();
    for (long[] b : broadcasts) {
      long bucket = Math.floorDiv(b[2], width) * width;
      (overlaps(windows, bucket, width) ? bDuring : bOutside).add(b);
    }
    for (String[] part : new String[][] {{"during windows", "D"}, {"outside windows", "O"}}) {
      boolean d = part[1].equals("D");
      Histogram h = d ? during : outside;
      long expected = expected(d ? bDuring : bOutside, starts, ends);
      r.append(String.format("%-22s  broadcasts %d, expected %d, received %d, missing %d%n", part[0],
          (d ? bDuring : bOutside).size(), expected, h.getTotalCount(), Math.max(0, expected - h.getTotalCount())));
      r.append(line("delivery " + (d ? "during" : "outside"), h));
    }
    return r.toString();
  }

  /** Without restart windows: one line per series bucket (by broadcast stamp), e.g. each broadcast of a fan-out run. */
  private static String bySeries(Map<Long, Histogram> series, long width) {
    StringBuilder r = new StringBuilder();
    long first = series.isEmpty() ? 0 : series.keySet().iterator().next();
    for (Map.Entry<Long, Histogram> e : series.entrySet()) {
      String at = java.time.Instant.ofEpochMilli(e.getKey()).toString().substring(11, 19);
      r.append(line(String.format("delivery +%.1fs", (e.getKey() - first) / 1000.0), e.getValue()).stripTrailing())
          .append("  (").append(at).append(" UTC)").append(System.lineSeparator());
    }
    return r.toString();
  }

  private static boolean overlaps(List<long[]> windows, long bucketStart, long width) {
    for (long[] w : windows) if (bucketStart + width > w[0] && bucketStart < w[1]) return true;
    return false;
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
