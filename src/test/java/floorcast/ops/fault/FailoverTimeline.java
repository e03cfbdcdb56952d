package floorcast.ops.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The steps of a fail-over after a SIGKILL, read from the survivors' node logs (text format, lines starting with
 * {@code HH:mm:ss.SSS}): when the dead node was marked unreachable, downed by the split brain resolver, removed by
 * the leader, when the coordinator let go of its region (after {@code down-removal-margin}), when its shards were
 * allocated and started elsewhere, and when the last affected session finished its recovery. Figures only: the
 * order and gaps of these steps depend on the machine's load, so nothing here is asserted.
 */
final class FailoverTimeline {
  private record Line(long at, int node, String text) {}

  private FailoverTimeline() {}

  /** Step name → "+x.x s (nodeN)" relative to {@code killAt}, in the order the steps happen in a fail-over. */
  static Map<String, String> read(Path logs, List<Integer> survivors, String victimAddress, long killAt, Set<String> sessions)
      throws IOException {
    List<Line> lines = new ArrayList<>();
    LocalDate day = Instant.ofEpochMilli(killAt).atZone(ZoneId.systemDefault()).toLocalDate();
    for (int n : survivors) {
      for (String text : Files.readAllLines(logs.resolve("node" + n + ".log"), StandardCharsets.UTF_8)) {
        Long at = timestamp(text, day);
        if (at != null && at >= killAt) lines.add(new Line(at, n, text));
      }
    }
    Map<String, String> steps = new LinkedHashMap<>();
    first(steps, lines, killAt, "marked unreachable", t -> t.contains("Marking node as UNREACHABLE") && t.contains(victimAddress));
    first(steps, lines, killAt, "SBR downing decision", t -> t.contains("and is downing [") && t.contains(victimAddress));
    first(steps, lines, killAt, "removed by the leader", t -> t.contains("Leader is removing") && t.contains(victimAddress));
    first(steps, lines, killAt, "coordinator saw its region terminate", t -> t.contains("ShardRegion terminated") && t.contains(victimAddress));
    first(steps, lines, killAt, "a coordinator singleton started (if the oldest died)",
        t -> t.contains("Singleton manager starting singleton actor") && t.contains("DjSessionCoordinator"));
    first(steps, lines, killAt, "first shard allocated", t -> t.contains("DjSession: Shard [") && t.contains("allocated at"));
    first(steps, lines, killAt, "first shard started", t -> t.contains("DjSession: Starting shard ["));
    Line lastRecovered = null;
    int recovered = 0;
    for (Line l : lines) {
      int i = l.text().indexOf("live session ");
      if (i < 0 || !l.text().contains("recovered at seq")) continue;
      String id = l.text().substring(i + "live session ".length()).split(" ", 2)[0];
      if (sessions.contains(id)) {
        recovered++;
        if (lastRecovered == null || l.at() > lastRecovered.at()) lastRecovered = l;
      }
    }
    steps.put(
        "affected sessions recovered (last)",
        lastRecovered == null ? "not in the logs" : rel(lastRecovered, killAt) + ", " + recovered + " recoveries");
    return steps;
  }

  private static void first(Map<String, String> steps, List<Line> lines, long killAt, String name, Predicate<String> p) {
    steps.put(
        name,
        lines.stream().filter(l -> p.test(l.text())).min((a, b) -> Long.compare(a.at(), b.at()))
            .map(l -> rel(l, killAt)).orElse("not in the logs"));
  }

  private static String rel(Line l, long killAt) {
    return String.format("+%.1f s (node%d)", (l.at() - killAt) / 1000.0, l.node());
  }

  private static Long timestamp(String line, LocalDate day) {
    if (line.length() < 12 || line.charAt(2) != ':' || line.charAt(8) != '.') return null;
    try {
      return LocalTime.parse(line.substring(0, 12)).atDate(day).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
