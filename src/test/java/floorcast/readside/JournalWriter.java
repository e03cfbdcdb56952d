package floorcast.readside;

import floorcast.session.SessionEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * Test fixture standing in for the session entity: persists the given events under {@code DjSession|<id>} with the
 * entity's tag, so the projection can be tested against a real journal without the entity itself.
 */
public final class JournalWriter extends EventSourcedBehavior<JournalWriter.Append, SessionEvent, Integer> {
  record Append(List<SessionEvent> events, ActorRef<Done> replyTo) {}

  private final String sessionId;

  private JournalWriter(String sessionId) {
    super(PersistenceId.of("DjSession", sessionId));
    this.sessionId = sessionId;
  }

  static Behavior<Append> create(String sessionId) {
    return new JournalWriter(sessionId);
  }

  /** Persists the events of one session atomically and waits for the journal's confirmation. */
  public static void append(ActorSystem<?> system, String sessionId, List<SessionEvent> events) {
    ActorRef<Append> writer =
        system.systemActorOf(create(sessionId), "journal-" + sessionId + "-" + System.nanoTime(), Props.empty());
    try {
      AskPattern.<Append, Done>ask(writer, reply -> new Append(events, reply), Duration.ofSeconds(30), system.scheduler())
          .toCompletableFuture()
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Integer emptyState() {
    return 0;
  }

  @Override
  public CommandHandler<Append, SessionEvent, Integer> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(
            Append.class,
            cmd -> Effect().persist(cmd.events()).thenRun(s -> cmd.replyTo().tell(Done.getInstance())).thenStop())
        .build();
  }

  @Override
  public EventHandler<Integer, SessionEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((count, event) -> count + 1);
  }

  @Override
  public Set<String> tagsFor(SessionEvent event) {
    return Set.of(ProjectionTags.tagFor(sessionId));
  }
}
