package floorcast.load.ws;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * One load process: a single NIO thread holding this process's dancers (and, on process 1, the DJs), all bound to
 * one 127.0.3.x source address. Bounded by the timeline in its options; writes its results to the output folder
 * for {@link LoadReport}: p&lt;k&gt;.hlog (histograms; with --series-seconds also one "delivery_series" interval
 * histogram per bucket), .stats (counters, failures by kind, own CPU), .bcast (accepted broadcasts in the window:
 * session, stamp, stamp as epoch ms), .subs (subscription intervals), .acked (titles of all ACKed broadcasts).
 */
public final class LoadProcess {
  /** Synthetic frames the receive path handles before the run (about 0.5 s of one core; see ReceivePathWarmup). */
  private static final int WARMUP_FRAMES = 200_000;

  private LoadProcess() {}

  public static void main(String[] args) throws Exception {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("load process: " + e.getMessage());
      System.exit(2);
      return;
    }
    EventLoop loop = new EventLoop();
    LoadRun run = new LoadRun(options, loop);
    long warmupStarted = System.nanoTime();
    int warmed = ReceivePathWarmup.run(options, WARMUP_FRAMES, run.djStart - 500_000_000L);
    System.out.printf("receive-path warm-up: %d frames in %d ms%n", warmed, (System.nanoTime() - warmupStarted) / 1_000_000L);
    List<Dj> djs = new ArrayList<>();
    if (options.hostsDjs()) {
      for (int s = 0; s < options.sessions(); s++) {
        Dj dj = new Dj(run, s);
        dj.start(run.djStart);
        djs.add(dj);
      }
    }
    List<Dancer> dancers = new ArrayList<>(options.dancers());
    long ramp = run.warmupStart - run.connectStart;
    for (int i = 0; i < options.dancers(); i++) {
      Dancer d = new Dancer(run, i);
      d.connectAt(run.connectStart + (options.dancers() == 1 ? 0 : ramp * i / options.dancers()));
      dancers.add(d);
    }
    loop.runUntil(run.stopAt);
    dancers.forEach(Dancer::stop);
    djs.forEach(Dj::stop);
    loop.runUntil(System.nanoTime() + 200_000_000L); // let the close frames go out
    write(run);
  }

  private static void write(LoadRun run) throws IOException {
    LoadOptions o = run.options;
    Path dir = o.out();
    Files.createDirectories(dir);
    String base = "p" + o.process();
    try (PrintStream hlog = new PrintStream(Files.newOutputStream(dir.resolve(base + ".hlog")))) {
      HistogramLogWriter w = new HistogramLogWriter(hlog);
      w.outputLogFormatVersion();
      w.outputLegend();
      for (Map.Entry<String, Histogram> e : Map.of("delivery", run.delivery, "delivery_small_sessions", run.deliverySmall,
          "join", run.join, "handshake", run.handshake, "action_ack", run.actionAck, "dj_register", run.djRegister).entrySet()) {
        Histogram h = e.getValue();
        h.setTag(e.getKey());
        h.setStartTimeStamp(o.startAtMs());
        h.setEndTimeStamp(System.currentTimeMillis());
        w.outputIntervalHistogram(h);
      }
      long width = Math.round(o.seriesSeconds() * 1000);
      for (Map.Entry<Long, Histogram> e : run.deliverySeries.entrySet()) {
        Histogram h = e.getValue();
        h.setTag("delivery_series");
        h.setStartTimeStamp(e.getKey());
        h.setEndTimeStamp(e.getKey() + width);
        w.outputIntervalHistogram(h);
      }
    }
    try (PrintStream stats = new PrintStream(Files.newOutputStream(dir.resolve(base + ".stats")))) {
      run.counters.forEach((k, v) -> stats.println(k + "=" + v));
      run.failures.forEach((k, v) -> stats.println("fail." + k + "=" + v));
      stats.println("client_cpu_seconds=" + ownCpuSeconds());
      stats.println("dancers=" + o.dancers());
      if (run.lastFirstSubscription >= 0) {
        stats.println("max.all_subscribed_after_first_connect_ms="
            + (run.lastFirstSubscription - run.connectStart) / 1_000_000L);
      }
    }
    try (PrintStream b = new PrintStream(Files.newOutputStream(dir.resolve(base + ".bcast")))) {
      for (long[] a : run.acceptedBroadcasts) b.println(a[0] + " " + a[1] + " " + run.epochMillis(a[1]));
    }
    Files.write(dir.resolve(base + ".acked"), run.acceptedTitles);
    try (PrintStream s = new PrintStream(Files.newOutputStream(dir.resolve(base + ".subs")))) {
      for (long[] a : run.subscriptions) {
        if (a[2] > run.measureStart && a[1] < run.measureEnd) s.println(a[0] + " " + a[1] + " " + a[2]);
      }
    }
  }

  /** utime + stime of this process from /proc/self/stat (clock ticks of 10 ms on Linux). */
  private static double ownCpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
