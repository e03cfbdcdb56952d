package floorcast.dj;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The DJ command-line client, {@code floorcast dj …} (clients.md §5). Wires the pieces together: settings, stable
 * client id, token check, VirtualDJ history watcher → de-dup → throttle → reliable sender → WebSocket link, live
 * feedback, and the standard-input console. Ends the set on {@code end}, end of input or Ctrl-C.
 */
public final class DjClient {
  static final Duration END_ACK_WAIT = Duration.ofSeconds(5);

  private final DjSettings settings;
  private final DjOutput out;
  private final HttpClient http;
  private final LongSupplier clock = System::currentTimeMillis;
  private final ScheduledExecutorService loop;
  private final LiveFeedback feedback;
  private final ReliableSender sender;
  private final DjLink link;
  private final TrackBroadcaster tracks;
  private final HistoryWatcher watcher;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final TrackDeduplicator dedup = new TrackDeduplicator();
  private final Map<String, String> env;

  DjClient(
      DjSettings settings,
      Map<String, String> env,
      DjOutput out,
      String clientId,
      DeliveryTimings timings,
      ReconnectBackoff backoff) {
    this.settings = settings;
    this.env = env;
    this.out = out;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dj-loop");
              t.setDaemon(true);
              return t;
            });
    this.feedback = new LiveFeedback(out, settings.sessionId());
    this.sender =
        new ReliableSender(
            loop,
            new CommandSpool(settings.stateDir(), settings.sessionId()),
            timings,
            clock,
            new ReliableSender.Outcomes() {
              @Override
              public void acknowledged(String messageId, String type) {
                // quiet: the broadcast that follows shows the effect
              }

              @Override
              public void refused(String messageId, String type, String error) {
                out.warn(type + " refused by the server: " + error);
              }

              @Override
              public void spoolUnavailable(String reason) {
                out.warn(reason + " — pending commands would be lost if the client stopped now");
              }
            });
    this.link =
        new DjLink(
            http,
            settings.webSocketUri(),
            new DjLink.Registration(settings.sessionId(), settings.djName(), settings.token(), clientId),
            loop,
            sender,
            feedback::apply,
            out,
            backoff,
            clock);
    this.tracks =
        new TrackBroadcaster(
            settings.sessionId(), dedup, timings.broadcastGapMillis(), sender, loop, clock, out);
    this.watcher =
        new HistoryWatcher(new HistoryLocator(settings.historyPath(), env), tracks::played, out);
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.getenv(), System.in, System.out));
  }

  /** Runs the client until the set ends; returns the process exit code. */
  public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream console) throws Exception {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        console.println(DjSettings.USAGE);
        return 0;
      }
    }
    DjSettings settings;
    try {
      settings = DjSettings.parse(args, env, System.currentTimeMillis());
    } catch (DjSettings.InvalidSettings e) {
      console.println("error: " + e.getMessage());
      console.println(DjSettings.USAGE);
      return 2;
    }
    DjOutput out = DjOutput.console(console);
    String clientId = StableClientId.loadOrCreate(settings.stateDir(), System.currentTimeMillis());
    DjClient client = new DjClient(settings, env, out, clientId, DeliveryTimings.standard(), ReconnectBackoff.standard());
    return client.live(in);
  }

  int live(InputStream in) throws Exception {
    if (!settings.token().isEmpty()) {
      AccountCheck.Result me = AccountCheck.me(http, settings.server(), settings.token());
      if (me.displayName() != null) {
        out.info("Signed in as " + me.displayName());
      } else if (me.refused()) {
        // going live anonymously would give the set an owner the DJ did not mean: stop and say why
        out.warn("Token refused: " + me.error());
        return 3;
      } else {
        out.warn("Could not check the token: " + me.error() + "; continuing (the server checks it again at registration)");
      }
    }
    if (sender.recoveredCount() > 0) {
      out.info(sender.recoveredCount() + " unsent command(s) from an earlier run will be sent after registration");
    }
    loadDatabase();
    runOnLoop(this::prepareHistory);
    out.info((settings.resumed() ? "Resuming" : "Starting") + " set " + settings.sessionId() + " as \"" + settings.djName() + "\"");
    out.info("Join link: " + settings.joinLink());
    link.start();
    loop.scheduleWithFixedDelay(watcher::poll, 1, 1, TimeUnit.SECONDS); // clients.md §6: 1 s polling

    Thread hook = new Thread(() -> finish(true), "dj-end-on-exit");
    Runtime.getRuntime().addShutdownHook(hook);
    CompletableFuture<Void> console = CompletableFuture.runAsync(() -> readConsole(in), r -> {
      Thread t = new Thread(r, "dj-console");
      t.setDaemon(true);
      t.start();
    });
    DjLink.End end = CompletableFuture.anyOf(link.ended(), console).thenApply(x -> link.ended().getNow(null)).get();
    if (end == null) end = link.ended().get(10, TimeUnit.SECONDS);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // Ctrl-C: the hook is running and ends the set
    }
    loop.shutdownNow();
    switch (end.kind()) {
      case REJECTED -> {
        out.warn("Registration refused: " + end.detail());
        return 1;
      }
      case SESSION_OVER -> {
        out.info("Session over: " + end.detail());
        return 0;
      }
      case LEFT -> {
        out.info("Continue this set with: floorcast dj --resume " + settings.sessionId());
        return 0;
      }
      default -> {
        if (end.detail().equals(DjLink.SET_ENDED_CONFIRMED)) {
          out.info("Set ended on the server.");
        } else {
          out.warn("The server did not confirm the end in time; it ends the set after its grace period.");
        }
        return 0;
      }
    }
  }

  /** Read before going live, off the loop: a big database.xml takes a while. */
  private void loadDatabase() {
    new HistoryLocator(settings.historyPath(), env).home().flatMap(VdjDatabase::locate).ifPresent(file -> {
      try {
        VdjDatabase db = VdjDatabase.read(file);
        runOnLoop(() -> tracks.useDatabase(db));
        out.info("BPM and key from " + file + " (" + db.size() + " analysed tracks)");
      } catch (Exception e) {
        out.warn("VirtualDJ database not readable (" + e.getMessage() + "); tracks go out without BPM/key");
      }
    });
  }

  private void prepareHistory() {
    Optional<VdjEntry> current = watcher.readCurrent();
    if (settings.importHistory()) {
      watcher.currentFile().ifPresent(file -> {
        try {
          List<VdjEntry> set = HistoryFileReader.tonightsSet(HistoryFileReader.read(file), Instant.now(), out::warn);
          for (VdjEntry e : set) {
            // the playing track stays sendable unless --skip-current: dancers need "now playing"
            boolean playing = current.isPresent() && !current.get().isDifferentPlayFrom(e);
            if (!playing || settings.skipCurrent()) dedup.markRecorded(e.artist(), e.title(), e.lastPlayTime() * 1000);
          }
          out.info("Imported " + set.size() + " earlier play(s) of tonight's set");
          for (VdjEntry e : set) out.info("  " + e.label());
        } catch (Exception e) {
          out.warn("history import failed: " + e.getMessage());
        }
      });
    }
    if (current.isPresent() && settings.skipCurrent()) {
      watcher.assumeKnown(current.get());
      out.info("Already playing (not sent): " + current.get().label());
    }
  }

  private void readConsole(InputStream in) {
    out.info("Type 'help' for commands.");
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while (!finished.get() && (line = reader.readLine()) != null) {
        ConsoleCommand c = DjConsole.parse(line);
        if (c instanceof ConsoleCommand.EndSet) break;
        if (c instanceof ConsoleCommand.Leave) {
          finished.set(true);
          link.abandon();
          return;
        }
        execute(c);
      }
    } catch (Exception e) {
      out.warn("console input failed: " + e.getMessage());
    }
    finish(false);
  }

  private void finish(boolean fromShutdownHook) {
    if (!finished.compareAndSet(false, true)) return;
    if (link.ended().isDone()) return;
    out.info("Ending the set …");
    link.endSet(END_ACK_WAIT); // the outcome is reported by live() from the link's end
  }

  void execute(ConsoleCommand c) {
    if (c instanceof ConsoleCommand.Nothing) return;
    if (c instanceof ConsoleCommand.Help) {
      out.info(DjConsole.HELP);
    } else if (c instanceof ConsoleCommand.Invalid invalid) {
      out.warn(invalid.reason());
    } else if (c instanceof ConsoleCommand.StartPoll p) {
      ObjectNode m = command("START_POLL");
      m.put("question", p.question());
      p.options().forEach(m.putArray("options")::add);
      if (p.durationSeconds() != null) m.put("durationSeconds", p.durationSeconds());
      submit(m);
    } else if (c instanceof ConsoleCommand.EndPoll) {
      runOnLoop(
          () -> {
            Long pollId = feedback.activePollId();
            if (pollId == null) {
              out.warn("no running poll known (use cancelpoll to cancel whatever runs)");
              return;
            }
            ObjectNode m = JsonNodeFactory.instance.objectNode();
            m.put("type", "END_POLL");
            m.put("pollId", pollId);
            sender.submit(m);
          });
    } else if (c instanceof ConsoleCommand.CancelPoll) {
      runOnLoop(
          () -> {
            ObjectNode m = command("CANCEL_POLL");
            Long pollId = feedback.activePollId();
            if (pollId != null) m.put("pollId", pollId); // else the server cancels the active poll (protocol.md §3.10)
            sender.submit(m);
          });
    } else if (c instanceof ConsoleCommand.Announce a) {
      ObjectNode m = command("SEND_ANNOUNCEMENT");
      m.put("message", a.text());
      if (a.durationSeconds() != null) m.put("durationSeconds", a.durationSeconds());
      submit(m);
    } else if (c instanceof ConsoleCommand.CancelAnnouncement) {
      submit(command("CANCEL_ANNOUNCEMENT"));
    } else if (c instanceof ConsoleCommand.StopTrack) {
      runOnLoop(tracks::stop);
    } else if (c instanceof ConsoleCommand.ForceSync) {
      runOnLoop(
          () -> {
            if (!tracks.forceSync()) out.warn("no track sent yet");
          });
    } else if (c instanceof ConsoleCommand.Status) {
      runOnLoop(this::printStatus);
    }
  }

  private void printStatus() {
    out.info("Set " + settings.sessionId() + " — " + (link.isRegistered() ? "connected" : "not connected (reconnecting)"));
    out.info("Join link: " + settings.joinLink());
    List<String> pending = sender.pendingTypes();
    out.info("Unacknowledged commands: " + (pending.isEmpty() ? "none" : pending));
    feedback.statusLines().forEach(out::info);
  }

  private ObjectNode command(String type) {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("type", type);
    m.put("sessionId", settings.sessionId());
    return m;
  }

  private void submit(ObjectNode m) {
    sender.submit(m);
    if (!link.isRegistered()) out.info(m.path("type").asText() + " queued until the server is reachable");
  }

  private void runOnLoop(Runnable r) {
    try {
      loop.submit(r).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      out.warn("internal: " + e);
    }
  }
}
