package floorcast.load.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * Seeds a running node for the REST benchmark (load-tests/run-rest.sh) through the live protocol, as the DJ
 * desktop and the dancers' web clients would: one ended session with {@code --tracks} plays (likes and tempo votes
 * on many of them) for the recap, {@code --history} shorter ended sessions over the same track pool (global stats,
 * top tracks), then {@code --live} live sessions with a current track and listeners for the active list. Every
 * command must be ACKed (a NACK aborts: a partial seed would measure something else).
 *
 * <p>Writes the expected figures to {@code --out} (key=value lines) once everything is ACKed, then keeps the live
 * sessions' DJ and dancer connections open for {@code --hold} seconds (PING every 30 s) so the active list keeps its
 * listeners while wrk runs. The node must allow fast seeding (run-rest.sh lowers track-throttle and raises the
 * per-client action limits of the node it starts).
 *
 * <pre>java -cp … floorcast.load.rest.RestSeeder --server 127.0.0.1:3001 --out seed.txt</pre>
 */
public final class RestSeeder {
  private final String server;
  private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
  private final TrackCatalogue catalogue = new TrackCatalogue(800, 42);
  private final Random random = new Random(7);
  private final String run = Long.toString(System.currentTimeMillis());
  private final List<SeedSocket> dancers = new ArrayList<>();
  private final List<String> dancerIds = new ArrayList<>();
  private long likes, tempoVotes, plays, sessions, refusedLikes, refusedTempo;

  private RestSeeder(String server) {
    this.server = server;
  }

  public static void main(String[] args) throws Exception {
    String server = arg(args, "--server", "127.0.0.1:3001");
    int recapTracks = Integer.parseInt(arg(args, "--tracks", "500"));
    int history = Integer.parseInt(arg(args, "--history", "30"));
    int historyTracks = Integer.parseInt(arg(args, "--history-tracks", "20"));
    int live = Integer.parseInt(arg(args, "--live", "40"));
    int dancerCount = Integer.parseInt(arg(args, "--dancers", "30"));
    long hold = Long.parseLong(arg(args, "--hold", "600"));
    Path out = Path.of(arg(args, "--out", "seed.txt"));

    RestSeeder seeder = new RestSeeder(server);
    long t0 = System.nanoTime();
    seeder.connectDancers(dancerCount);
    String recapId = "pika_" + seeder.run + "_recap" + recapTracks;
    long recapLikes = seeder.endedSession(recapId, "DJ Recap", recapTracks, true);
    System.out.printf("recap session %s: %d plays, %d likes%n", recapId, recapTracks, recapLikes);
    for (int i = 0; i < history; i++) {
      seeder.endedSession("pika_" + seeder.run + "_h" + i, "DJ History " + i, historyTracks, false);
    }
    System.out.printf("%d history sessions of %d plays%n", history, historyTracks);
    List<SeedSocket> liveDjs = seeder.liveSessions(live);
    System.out.printf("%d live sessions%n", live);

    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.writeString(
        tmp,
        "recap_session=" + recapId + "\n"
            + "recap_tracks=" + recapTracks + "\n"
            + "recap_likes=" + recapLikes + "\n"
            + "live_sessions=" + live + "\n"
            + "total_sessions=" + seeder.sessions + "\n"
            + "total_tracks=" + seeder.plays + "\n"
            + "total_likes=" + seeder.likes + "\n"
            + "tempo_votes=" + seeder.tempoVotes + "\n"
            + "refused_likes=" + seeder.refusedLikes + "\n"
            + "refused_tempo_votes=" + seeder.refusedTempo + "\n"
            + "dancers=" + dancerCount + "\n"
            + "seed_seconds=" + (System.nanoTime() - t0) / 1_000_000_000 + "\n");
    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("SEEDED " + out);

    List<SeedSocket> all = new ArrayList<>(liveDjs);
    all.addAll(seeder.dancers);
    long end = System.nanoTime() + hold * 1_000_000_000L;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.min(30_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      for (SeedSocket s : all) s.send(message("PING"));
    }
    all.forEach(SeedSocket::close);
  }

  private void connectDancers(int count) {
    for (int k = 0; k < count; k++) {
      dancers.add(SeedSocket.open(http, server, "d" + k));
      dancerIds.add("client_seed_" + run + "_" + k);
    }
  }

  /**
   * A DJ registers, plays {@code tracks} tracks (each different from the previous, so each is one play), the
   * dancers subscribe and like / vote tempo on some of them, then the DJ ends the session. Returns the ACKed likes.
   */
  private long endedSession(String sessionId, String djName, int tracks, boolean distinctTracks) {
    SeedSocket dj = register(sessionId, djName);
    subscribeDancers(i -> sessionId);
    long sessionLikes = 0;
    int previous = -1;
    for (int i = 0; i < tracks; i++) {
      int pick;
      if (distinctTracks) {
        pick = i % catalogue.tracks.size();
      } else {
        do pick = random.nextInt(catalogue.tracks.size() / 4); while (pick == previous); // popular share: top tracks
      }
      previous = pick;
      TrackCatalogue.Track track = catalogue.tracks.get(pick);
      ObjectNode broadcast = message("BROADCAST_TRACK").put("sessionId", sessionId).put("version", "0.3.0");
      broadcast.set("track", track.json());
      dj.sendOk(broadcast);
      plays++;
      List<CompletableFuture<Boolean>> likeReplies = new ArrayList<>();
      List<CompletableFuture<Boolean>> tempoReplies = new ArrayList<>();
      for (int d = 0; d < dancers.size(); d++) {
        if (random.nextDouble() < 0.15) {
          ObjectNode like = message("SEND_LIKE").put("sessionId", sessionId).put("clientId", dancerIds.get(d));
          like.putObject("payload").set("track", track.ref());
          likeReplies.add(dancers.get(d).send(like));
        }
        if (random.nextDouble() < 0.10) {
          String preference = new String[] {"slower", "perfect", "faster"}[random.nextInt(3)];
          tempoReplies.add(dancers.get(d).send(message("SEND_TEMPO_REQUEST").put("sessionId", sessionId)
              .put("preference", preference).put("clientId", dancerIds.get(d))));
        }
      }
      // a repeated track in a history session may be "Already liked": only ACKed likes count
      for (CompletableFuture<Boolean> f : likeReplies) if (f.join()) sessionLikes++; else refusedLikes++;
      for (CompletableFuture<Boolean> f : tempoReplies) if (f.join()) tempoVotes++; else refusedTempo++;
    }
    dj.sendOk(message("END_SESSION").put("sessionId", sessionId).put("version", "0.3.0"));
    dj.close();
    likes += sessionLikes;
    return sessionLikes;
  }

  /** Live sessions with a current track; the dancers are spread over them as listeners. DJs stay connected. */
  private List<SeedSocket> liveSessions(int count) {
    List<SeedSocket> djs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String sessionId = "pika_" + run + "_live" + i;
      SeedSocket dj = register(sessionId, "DJ Live " + i);
      ObjectNode broadcast = message("BROADCAST_TRACK").put("sessionId", sessionId).put("version", "0.3.0");
      broadcast.set("track", catalogue.tracks.get(random.nextInt(catalogue.tracks.size())).json());
      dj.sendOk(broadcast);
      plays++;
      djs.add(dj);
      ids.add(sessionId);
    }
    if (count > 0) subscribeDancers(d -> ids.get(d % ids.size()));
    return djs;
  }

  private SeedSocket register(String sessionId, String djName) {
    SeedSocket dj = SeedSocket.open(http, server, "dj_" + sessionId);
    dj.sendOk(message("REGISTER_SESSION").put("sessionId", sessionId).put("djName", djName)
        .put("clientId", "client_seed_dj_" + sessionId).put("version", "0.3.0"));
    sessions++;
    return dj;
  }

  private void subscribeDancers(java.util.function.IntFunction<String> sessionOf) {
    List<CompletableFuture<Boolean>> replies = new ArrayList<>();
    for (int d = 0; d < dancers.size(); d++) {
      replies.add(dancers.get(d).send(message("SUBSCRIBE").put("sessionId", sessionOf.apply(d))
          .put("clientId", dancerIds.get(d))));
    }
    for (int d = 0; d < replies.size(); d++) {
      if (!replies.get(d).join()) throw new IllegalStateException("SUBSCRIBE refused: " + dancers.get(d).lastNack);
    }
  }

  private static ObjectNode message(String type) {
    return SeedSocket.JSON.createObjectNode().put("type", type);
  }

  private static String arg(String[] args, String name, String def) {
    for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
    return def;
  }
}
