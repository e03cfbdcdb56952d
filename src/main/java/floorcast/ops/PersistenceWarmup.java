package floorcast.ops;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * Starts the journal and snapshot plugins (Slick database, connection pool) and runs one recovery of an empty
 * persistence id while the node starts, before it reports ready. Without it a node that hosted no session yet — the
 * last one of a rolling restart — started its journal plugin only when a crashed node's shards moved to it, and the
 * fail-over waited for that: 3.7 s between "Auto-starting journal plugin" and the shards' remembered entities in
 * the fault test (docs/benchmarks.md). Writes nothing.
 */
public final class PersistenceWarmup extends EventSourcedBehavior<PersistenceWarmup.Ping, Done, Done> {
  /** Answered once recovery (snapshot load, highest sequence number, replay) is complete; the actor then stops. */
  public record Ping(ActorRef<Done> replyTo) {}

  private PersistenceWarmup(String nodeName) {
    super(PersistenceId.of("floorcast-warmup", nodeName));
  }

  /** Completes when the journal and snapshot store answered a recovery, or fails after {@code timeout}. */
  public static CompletionStage<Done> run(ActorSystem<?> system, String nodeName, Duration timeout) {
    ActorRef<Ping> ref =
        system.systemActorOf(new PersistenceWarmup(nodeName), "persistence-warmup", Props.empty());
    return PekkoCompletion.inline(AskPattern.ask(ref, Ping::new, timeout, system.scheduler()));
  }

  @Override
  public Done emptyState() {
    return Done.getInstance();
  }

  @Override
  public CommandHandler<Ping, Done, Done> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Ping.class, (state, ping) -> Effect().stop().thenReply(ping.replyTo(), s -> Done.getInstance()))
        .build();
  }

  @Override
  public EventHandler<Done, Done> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> state);
  }
}
