package floorcast.load.ws.pekko;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The floor on pekko-http's public message API: {@code WebSocketUpgrade.handleMessagesWith} (what the
 * {@code handleWebSocketMessages} directive calls) with one Flow per connection whose outbound side is a bounded
 * {@code Source.queue} ({@link BoundedSourceQueue}) of {@link Message}. Every text message containing
 * BROADCAST_TRACK becomes one {@link TextMessage.Strict}, and that one object is offered to every open
 * connection's queue (the sender included), exactly as {@link floorcast.load.ws.FloorServer} relays it; other input
 * is ignored. pekko-http encodes and frames the message once per connection (that is what this floor measures
 * against {@link PekkoFrameFloor}). A full queue fails that connection's stream (the public API then drops the
 * connection); the count is printed at the end. Usage: PekkoMessageFloor &lt;port&gt; &lt;seconds&gt; [capacity].
 */
public final class PekkoMessageFloor implements PekkoFloorServer.Floor {
  private static final String MARKER = "BROADCAST_TRACK";
  private static final long TO_STRICT_MILLIS = 5_000;

  private final Set<BoundedSourceQueue<Message>> connections = ConcurrentHashMap.newKeySet();
  private final Materializer materializer;
  private final int capacity;
  private final AtomicLong broadcasts = new AtomicLong(), deliveries = new AtomicLong(), overflowCloses = new AtomicLong();

  private PekkoMessageFloor(ActorSystem system, int capacity) {
    this.materializer = Materializer.matFromSystem(system);
    this.capacity = capacity;
  }

  public static void main(String[] args) throws Exception {
    int capacity = PekkoFloorServer.queueCapacity(args);
    PekkoFloorServer.run("pekko-message floor", args, system -> new PekkoMessageFloor(system, capacity));
  }

  @Override
  public HttpResponse accept(WebSocketUpgrade upgrade) {
    return upgrade.handleMessagesWith(connectionFlow());
  }

  private Flow<Message, Message, NotUsed> connectionFlow() {
    // inbound: whole text messages in order (a frame split over TCP reads arrives as a streamed message)
    Sink<Message, NotUsed> inbound =
        Flow.<Message>create()
            .mapAsync(1, this::text)
            .to(Sink.foreach(text -> {
              if (text.contains(MARKER)) broadcast(TextMessage.create(text));
            }));
    Source<Message, NotUsed> outbound =
        Source.<Message>queue(capacity)
            .mapMaterializedValue(queue -> {
              connections.add(queue);
              return queue;
            })
            .watchTermination((queue, done) -> {
              done.whenComplete((ok, error) -> connections.remove(queue));
              return NotUsed.getInstance();
            });
    return Flow.fromSinkAndSourceCoupled(inbound, outbound);
  }

  private CompletionStage<String> text(Message message) {
    if (message.isText()) {
      TextMessage t = message.asTextMessage();
      if (t.isStrict()) return CompletableFuture.completedFuture(t.getStrictText());
      return t.toStrict(TO_STRICT_MILLIS, materializer).thenApply(TextMessage::getStrictText);
    }
    CompletionStage<Done> drained = message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer);
    return drained.thenApply(d -> "");
  }

  private void broadcast(Message message) {
    broadcasts.incrementAndGet();
    long delivered = 0;
    for (BoundedSourceQueue<Message> queue : connections) {
      QueueOfferResult result = queue.offer(message);
      if (result == QueueOfferResult.enqueued()) {
        delivered++;
      } else if (result == QueueOfferResult.dropped()) {
        overflowCloses.incrementAndGet();
        connections.remove(queue);
        queue.fail(new IllegalStateException("outbound queue full (" + capacity + " messages)"));
      }
      // QueueClosed / Failure: the connection is going away; its termination removes it
    }
    deliveries.addAndGet(delivered);
  }

  @Override
  public String stats() {
    return "broadcasts=" + broadcasts + " deliveries=" + deliveries + " overflow_closes=" + overflowCloses
        + " queue_capacity=" + capacity;
  }
}
