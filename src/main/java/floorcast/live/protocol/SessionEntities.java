package floorcast.live.protocol;

import floorcast.ops.InlineCompletion;
import floorcast.session.SessionCommand;
import floorcast.session.SessionSharding;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * How the gateway reaches DJ session entities: ask with the configured timeout ({@code floorcast.live.ask-timeout};
 * a timeout fails the stage, answered as {@code Internal server error}) or tell. The reply completes on the replying
 * entity's thread ({@link InlineCompletion}): what the gateway chains on it is short and never blocks.
 */
public final class SessionEntities {
  private final Function<String, RecipientRef<SessionCommand>> resolve;
  private final Scheduler scheduler;
  private final Duration askTimeout;

  public SessionEntities(
      Function<String, RecipientRef<SessionCommand>> resolve, Scheduler scheduler, Duration askTimeout) {
    this.resolve = resolve;
    this.scheduler = scheduler;
    this.askTimeout = askTimeout;
  }

  /** The sharded entities of the cluster this system belongs to. */
  public static SessionEntities sharded(ActorSystem<?> system, Duration askTimeout) {
    return new SessionEntities(
        sessionId -> SessionSharding.entityRef(system, sessionId), system.scheduler(), askTimeout);
  }

  public <R> CompletionStage<R> ask(String sessionId, Function<ActorRef<R>, SessionCommand> command) {
    return InlineCompletion.of(AskPattern.ask(resolve.apply(sessionId), command::apply, askTimeout, scheduler));
  }

  public void tell(String sessionId, SessionCommand command) {
    resolve.apply(sessionId).tell(command);
  }
}
