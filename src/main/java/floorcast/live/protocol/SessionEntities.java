package floorcast.live.protocol;

import floorcast.ops.PekkoCompletion;
import floorcast.session.SessionCommand;
import floorcast.session.SessionSharding;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * How the gateway reaches DJ session entities: ask with the configured timeout ({@code floorcast.live.ask-timeout};
 * a timeout fails the stage, answered as {@code Internal server error}) or tell. What the gateway chains on a reply
 * runs on {@code callbacks} ({@link PekkoCompletion}) — the actor system's dispatcher in a node: not on a new thread
 * per reply, and not inside the replying entity, where 10,000 dancers' SUBSCRIBE replies to one session would all
 * have run on that entity's thread (measured: handshake timeouts in the 10,000-dancer join storm).
 */
public final class SessionEntities {
  private final Function<String, RecipientRef<SessionCommand>> resolve;
  private final Scheduler scheduler;
  private final Duration askTimeout;
  private final Executor callbacks;

  public SessionEntities(
      Function<String, RecipientRef<SessionCommand>> resolve,
      Scheduler scheduler,
      Duration askTimeout,
      Executor callbacks) {
    this.resolve = resolve;
    this.scheduler = scheduler;
    this.askTimeout = askTimeout;
    this.callbacks = callbacks;
  }

  /** Replies complete on the replying actor's thread (tests with probes and single entities). */
  public SessionEntities(
      Function<String, RecipientRef<SessionCommand>> resolve, Scheduler scheduler, Duration askTimeout) {
    this(resolve, scheduler, askTimeout, Runnable::run);
  }

  /** The sharded entities of the cluster this system belongs to. */
  public static SessionEntities sharded(ActorSystem<?> system, Duration askTimeout) {
    return new SessionEntities(
        sessionId -> SessionSharding.entityRef(system, sessionId),
        system.scheduler(),
        askTimeout,
        system.executionContext());
  }

  public <R> CompletionStage<R> ask(String sessionId, Function<ActorRef<R>, SessionCommand> command) {
    return PekkoCompletion.on(AskPattern.ask(resolve.apply(sessionId), command::apply, askTimeout, scheduler), callbacks);
  }

  public void tell(String sessionId, SessionCommand command) {
    resolve.apply(sessionId).tell(command);
  }
}
