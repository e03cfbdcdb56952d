package floorcast.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Completion stages from Pekko's Java API ({@code AskPattern.ask}, {@code EntityRef.ask}, {@code Patterns.ask},
 * {@code HttpEntity.toStrict}, stream materialized values) are Scala futures converted by
 * {@code scala.jdk.FutureConverters}, whose {@code CompletableFuture} runs every callback, also {@code thenApply}
 * and {@code whenComplete}, on the default asynchronous executor: the common fork-join pool, or — when that pool has
 * fewer than two threads, i.e. on any machine with two cores or fewer — a new thread per callback. On the 2-core
 * benchmark machine that was ≈ 750 threads started per second under the session-core write load
 * (docs/benchmarks.md, T4). These methods re-complete such a stage as a plain future whose callbacks run where the
 * caller says.
 */
public final class PekkoCompletion {
  private static final Executor SAME_THREAD = Runnable::run;

  private PekkoCompletion() {}

  /**
   * Completes on the thread that completes the stage (for an ask: inside the replying actor's message handling).
   * Only for short, non-blocking callbacks of replies from actors that are not hot: a callback chained on the reply
   * of one busy session entity would run inside that entity and serialise every caller's work on its thread.
   */
  public static <T> CompletableFuture<T> inline(CompletionStage<T> stage) {
    return on(stage, SAME_THREAD);
  }

  /** Completes on {@code executor} (e.g. the actor system's dispatcher: pooled threads, one task hop). */
  public static <T> CompletableFuture<T> on(CompletionStage<T> stage, Executor executor) {
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenCompleteAsync(
        (value, failure) -> {
          if (failure != null) result.completeExceptionally(failure);
          else result.complete(value);
        },
        executor);
    return result;
  }
}
