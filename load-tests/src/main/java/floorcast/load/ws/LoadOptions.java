package floorcast.load.ws;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parameters of one load process, from "--name value" arguments (the coordinator scripts write them).
 * {@code --server} takes one HOST:PORT or a comma-separated list (a cluster): clients start round-robin over the
 * list and move to the next entry when their connection fails or the server closes it. Times on the shared timeline are epoch milliseconds (the processes agree on them); latency stamps use
 * System.nanoTime.
 */
record LoadOptions(
    int process,
    String source,
    List<InetSocketAddress> servers,
    boolean floor,
    String runId,
    Path out,
    int dancers,
    int sessions,
    double bigShare,
    boolean hostsDjs,
    long startAtMs,
    double djLeadSeconds,
    double rampSeconds,
    double warmupSeconds,
    double measureSeconds,
    double drainSeconds,
    double trackMinSeconds,
    double trackMaxSeconds,
    double pollIntervalSeconds,
    double announceIntervalSeconds,
    boolean lobby,
    double likeRatio,
    double tempoRatio,
    double pollVoteRatio,
    double churnPerMinute,
    double likeStormAtSeconds,
    double likeStormWindowSeconds,
    double seriesSeconds,
    boolean browserHeaders) {

  private static final Set<String> NAMES = Set.of("process", "source", "server", "floor", "run-id", "out", "dancers",
      "sessions", "big-share", "djs", "start-at", "dj-lead", "ramp", "warmup", "measure", "drain", "track-interval",
      "poll-interval", "announce-interval", "lobby", "like-ratio", "tempo-ratio", "poll-vote-ratio", "churn",
      "like-storm-at", "like-storm-window", "series-seconds", "headers");

  static LoadOptions parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got: " + args[i]);
      }
      String name = args[i].substring(2);
      if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown option --" + name);
      m.put(name, args[++i]);
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String entry : req(m, "server").split(",")) {
      String[] hostPort = entry.trim().split(":");
      servers.add(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
    }
    String[] track = m.getOrDefault("track-interval", "5.2").split("-");
    LoadOptions o = new LoadOptions(
        Integer.parseInt(req(m, "process")),
        req(m, "source"),
        List.copyOf(servers),
        Boolean.parseBoolean(m.getOrDefault("floor", "false")),
        req(m, "run-id"),
        Path.of(req(m, "out")),
        Integer.parseInt(req(m, "dancers")),
        Integer.parseInt(m.getOrDefault("sessions", "1")),
        Double.parseDouble(m.getOrDefault("big-share", "1")),
        Boolean.parseBoolean(m.getOrDefault("djs", "false")),
        Long.parseLong(req(m, "start-at")),
        Double.parseDouble(m.getOrDefault("dj-lead", "1")),
        Double.parseDouble(m.getOrDefault("ramp", "10")),
        Double.parseDouble(m.getOrDefault("warmup", "5")),
        Double.parseDouble(req(m, "measure")),
        Double.parseDouble(m.getOrDefault("drain", "5")),
        Double.parseDouble(track[0]),
        Double.parseDouble(track[track.length - 1]),
        Double.parseDouble(m.getOrDefault("poll-interval", "0")),
        Double.parseDouble(m.getOrDefault("announce-interval", "0")),
        Boolean.parseBoolean(m.getOrDefault("lobby", "true")),
        Double.parseDouble(m.getOrDefault("like-ratio", "0")),
        Double.parseDouble(m.getOrDefault("tempo-ratio", "0")),
        Double.parseDouble(m.getOrDefault("poll-vote-ratio", "0")),
        Double.parseDouble(m.getOrDefault("churn", "0")),
        Double.parseDouble(m.getOrDefault("like-storm-at", "-1")),
        Double.parseDouble(m.getOrDefault("like-storm-window", "2")),
        Double.parseDouble(m.getOrDefault("series-seconds", "0")),
        switch (m.getOrDefault("headers", "minimal")) {
          case "minimal" -> false;
          case "browser" -> true;
          default -> throw new IllegalArgumentException("--headers is minimal or browser");
        });
    if (!o.source.startsWith("127.") || !o.servers.stream().allMatch(a -> a.getAddress().isLoopbackAddress())) {
      throw new IllegalArgumentException("load runs on loopback only: source and server must be 127.x.y.z");
    }
    if (o.dancers < 0 || o.sessions < 1 || o.measureSeconds <= 0 || o.djLeadSeconds < 0 || o.trackMinSeconds <= 0
        || o.trackMaxSeconds < o.trackMinSeconds) {
      throw new IllegalArgumentException("bad sizes: dancers >= 0, sessions >= 1, measure > 0, dj-lead >= 0, track-interval a-b with 0 < a <= b");
    }
    return o;
  }

  private static String req(Map<String, String> m, String name) {
    String v = m.get(name);
    if (v == null) throw new IllegalArgumentException("missing --" + name);
    return v;
  }

  /** The server a client starts on (round-robin by its number), then the next one after each failure. */
  InetSocketAddress server(int clientNumber, int moves) {
    return servers.get(Math.floorMod(clientNumber + moves, servers.size()));
  }

  String sessionId(int index) {
    return "load_" + runId + "_s" + index;
  }

  /** Session of the process's dancer i: the big session takes bigShare, the others share the rest evenly. */
  /** Dancers assigned to a session by {@link #sessionOf} (over all load processes). */
  int dancersOf(int session) {
    if (sessions == 1) return dancers;
    int big = (int) Math.round(dancers * bigShare);
    if (session == 0) return big;
    int rest = dancers - big;
    return rest / (sessions - 1) + (session - 1 < rest % (sessions - 1) ? 1 : 0);
  }

  int sessionOf(int dancer) {
    if (sessions == 1) return 0;
    int big = (int) Math.round(dancers * bigShare);
    if (dancer < big) return 0;
    return 1 + (dancer - big) % (sessions - 1);
  }
}
