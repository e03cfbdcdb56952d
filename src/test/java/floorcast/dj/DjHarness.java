package floorcast.dj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One DJ client core (loop, reliable sender with its spool, WebSocket link) as the real client wires it. */
final class DjHarness implements AutoCloseable {
  static final DeliveryTimings FAST = new DeliveryTimings(1_000, 1_000, 20, 200, 2_000);

  final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  final List<String> refused = new CopyOnWriteArrayList<>();
  final List<JsonNode> feedback = new CopyOnWriteArrayList<>();
  final List<String> output = new CopyOnWriteArrayList<>();
  final String sessionId;
  final ReliableSender sender;
  final DjLink link;

  DjHarness(URI ws, Path stateDir, String sessionId, String token, DeliveryTimings timings) {
    this.sessionId = sessionId;
    DjOutput out =
        new DjOutput() {
          @Override
          public void info(String line) {
            output.add(line);
          }

          @Override
          public void warn(String line) {
            output.add("! " + line);
          }
        };
    sender =
        new ReliableSender(
            loop,
            new CommandSpool(stateDir, sessionId),
            timings,
            System::currentTimeMillis,
            new ReliableSender.Outcomes() {
              @Override
              public void acknowledged(String messageId, String type) {}

              @Override
              public void refused(String messageId, String type, String error) {
                refused.add(type + ": " + error);
              }
            });
    link =
        new DjLink(
            HttpClient.newHttpClient(),
            ws,
            new DjLink.Registration(sessionId, "DJ Test", token, "client_1736970000000_testdj"),
            loop,
            sender,
            feedback::add,
            out,
            new ReconnectBackoff(100, 500),
            System::currentTimeMillis);
  }

  ObjectNode command(String type) {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("type", type);
    m.put("sessionId", sessionId);
    return m;
  }

  ObjectNode track(String artist, String title) {
    ObjectNode m = command("BROADCAST_TRACK");
    m.set("track", TrackSanitizer.track(artist, title, null, null));
    return m;
  }

  List<String> pending() throws Exception {
    return loop.submit(sender::pendingTypes).get(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    link.abandon();
    loop.shutdown();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
