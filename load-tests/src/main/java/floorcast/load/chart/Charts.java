package floorcast.load.chart;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Draws the benchmark charts from the scenario reports: delivery latency p50/p99 vs dancers (Floorcast, the floor
 * baseline, pekko-http's frame-level relay, Pika!'s reference points from issue #8; the message-API floor and runs with extra node flags are left out) and server memory (RSS at the window end, heap after the last
 * GC) vs connections. Per server kind and size the latest report wins (file names sort by date).
 * Usage: Charts &lt;results-folder&gt; &lt;output-folder&gt; [scenario, default fanout]
 */
public final class Charts {
  /** Pika!'s reference (issue #8): dancers, p50 ms, p99 ms. Measured on its own server, not on this machine. */
  private static final double[][] PIKA = {{1_000, 17.5, 36.0}, {5_000, 63.4, 164.3}, {10_000, 124.8, 218.2}};
  private static final Color FLOORCAST = new Color(31, 90, 180), FLOOR = new Color(40, 150, 70),
      PIKA_COLOR = new Color(220, 110, 20), HEAP = new Color(150, 60, 160), PEKKO = new Color(120, 120, 120);

  private Charts() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path results = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String scenario = args.length > 2 ? args[2] : "fanout";
    List<RunReport> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(results)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
        try {
          all.add(RunReport.parse(f));
        } catch (IllegalArgumentException e) {
          System.err.println("skipped: " + e.getMessage());
        }
      }
    }
    List<RunReport> runs = all.stream().filter(r -> r.scenario().equals(scenario)).toList();
    if (runs.isEmpty()) {
      System.err.println("no " + scenario + " reports in " + results);
      System.exit(1);
    }
    Map<Integer, RunReport> floorcast = latestBySize(runs, RunReport.Server.FLOORCAST),
        floor = latestBySize(runs, RunReport.Server.FLOOR),
        pekko = latestBySize(runs, RunReport.Server.PEKKO_FRAME);
    List<RunReport> used = new ArrayList<>(floorcast.values());
    used.addAll(floor.values());
    used.addAll(pekko.values());

    LineChart latency = new LineChart("Delivery latency vs dancers (" + scenario + ")", "dancers",
        "DJ send → dancer receive (ms, log scale)", true);
    notes(latency, used, scenario);
    latency.note("Pika! reference (issue #8): Pika!'s own measurement on its own server, not run on this machine.");
    latency.add(new LineChart.Series("Floorcast p99", FLOORCAST, false, points(floorcast, RunReport::deliveryP99)));
    latency.add(new LineChart.Series("Floorcast p50", FLOORCAST, true, points(floorcast, RunReport::deliveryP50)));
    latency.add(new LineChart.Series("floor (bare NIO) p99", FLOOR, false, points(floor, RunReport::deliveryP99)));
    latency.add(new LineChart.Series("floor (bare NIO) p50", FLOOR, true, points(floor, RunReport::deliveryP50)));
    latency.add(new LineChart.Series("pekko-http frame-level relay p99", PEKKO, false, points(pekko, RunReport::deliveryP99)));
    latency.add(new LineChart.Series("pekko-http frame-level relay p50", PEKKO, true, points(pekko, RunReport::deliveryP50)));
    List<double[]> pika99 = new ArrayList<>(), pika50 = new ArrayList<>();
    for (double[] p : PIKA) {
      pika50.add(new double[] {p[0], p[1]});
      pika99.add(new double[] {p[0], p[2]});
    }
    latency.add(new LineChart.Series("Pika! p99 (reference)", PIKA_COLOR, false, pika99));
    latency.add(new LineChart.Series("Pika! p50 (reference)", PIKA_COLOR, true, pika50));
    Path latencyPng = out.resolve("latency-vs-dancers.png");
    latency.write(latencyPng);
    System.out.println("written: " + latencyPng);

    LineChart memory = new LineChart("Server memory vs connections (" + scenario + ")", "dancer connections",
        "MB", false);
    notes(memory, used, scenario);
    memory.note("RSS at the end of the measured window (/proc); heap = occupancy after the last G1 pause before it.");
    memory.add(new LineChart.Series("Floorcast RSS", FLOORCAST, false, points(floorcast, RunReport::rssEndMb)));
    memory.add(new LineChart.Series("Floorcast heap after GC", HEAP, true, points(floorcast, RunReport::heapAfterGcMb)));
    memory.add(new LineChart.Series("floor (bare NIO) RSS", FLOOR, false, points(floor, RunReport::rssEndMb)));
    memory.add(new LineChart.Series("floor heap after GC", FLOOR, true, points(floor, RunReport::heapAfterGcMb)));
    memory.add(new LineChart.Series("pekko-http relay RSS", PEKKO, false, points(pekko, RunReport::rssEndMb)));
    Path memoryPng = out.resolve("memory-vs-connections.png");
    if (memory.isEmpty()) {
      System.err.println("no memory figures in the " + scenario + " reports: " + memoryPng + " not written");
    } else {
      memory.write(memoryPng);
      System.out.println("written: " + memoryPng);
    }
  }

  private static Map<Integer, RunReport> latestBySize(List<RunReport> runs, RunReport.Server server) {
    Map<Integer, RunReport> bySize = new TreeMap<>();
    for (RunReport r : runs) if (r.server() == server) bySize.put(r.dancers(), r); // sorted by file name: latest last
    return bySize;
  }

  private static List<double[]> points(Map<Integer, RunReport> runs, Function<RunReport, OptionalDouble> figure) {
    List<double[]> points = new ArrayList<>();
    runs.forEach((dancers, r) -> figure.apply(r).ifPresent(v -> points.add(new double[] {dancers, v})));
    return points;
  }

  /** Which runs the chart shows: when, on what, how loaded the machine was, and whether any lost deliveries. */
  private static void notes(LineChart chart, List<RunReport> used, String scenario) {
    TreeSet<String> dates = used.stream().map(RunReport::date).collect(Collectors.toCollection(TreeSet::new));
    String machines = used.stream().map(RunReport::machine).distinct().collect(Collectors.joining(" | "));
    DoubleSummaryStatistics load = used.stream().mapToDouble(RunReport::loadBefore).filter(v -> !Double.isNaN(v))
        .summaryStatistics();
    long lossy = used.stream().filter(r -> r.received() < r.expected()).count();
    chart.note(String.format("%d runs (latest per server and size), %s – %s UTC, machine: %s", used.size(),
        dates.first(), dates.last(), machines));
    chart.note(String.format("load average before the runs %.1f – %.1f%s; %s", load.getMin(), load.getMax(),
        load.getMax() > 2 ? " (other work on the machine: upper bounds)" : "",
        lossy == 0 ? "every run delivered all expected messages" : lossy + " run(s) with missing deliveries"));
    chart.note("from load-tests/results/" + scenario + "-*.txt by load-tests/charts.sh");
  }
}
