package floorcast.ops;

import floorcast.net.HttpListener;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;

/** What the warm-ups' own WebSocket clients on a private loopback binding share ({@link JoinPathWarmup}, {@link BroadcastPathWarmup}). */
final class LoopbackClients {
  private LoopbackClients() {}

  /** Reads each received message to its end (a streamed one included) and emits one {@code Done} per message. */
  static Flow<Message, Done, NotUsed> drained(Materializer mat) {
    return Flow.<Message>create()
        .mapAsync(1, m -> m.isText()
            ? m.asTextMessage().getStreamedText().runWith(Sink.ignore(), mat)
            : m.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), mat));
  }

  /** Unbinds the private binding, closing what is still open on it within 1 s; never fails. */
  static CompletionStage<Done> unbind(HttpListener binding) {
    return binding.terminate(Duration.ofSeconds(1)).exceptionally(e -> Done.getInstance());
  }
}
