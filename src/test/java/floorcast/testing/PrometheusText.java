package floorcast.testing;

/** Reads series out of a {@code /metrics} scrape (Prometheus text format). */
public final class PrometheusText {
  private PrometheusText() {}

  /** The value of one series as Prometheus renders it ({@code name{labels}} exactly), 0 when absent. */
  public static double value(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1).trim());
    }
    return 0;
  }
}
