package floorcast.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Completion stages from Pekko's Java API ({@code AskPattern.ask}, {@code EntityRef.ask}, {@code Patterns.ask},
 * {@code HttpEntity.toStrict}, stream materialized values) are Scala futures converted by
 * {@code scala.jdk.FutureConverters}, whose {@code CompletableFuture} runs every
 * callback, also {@code thenApply} and {@code whenComplete}, on the default asynchronous executor: the common
 * fork-join pool, or — when that pool has fewer than two threads, i.e. on any machine with two cores or fewer — a
 * new thread per callback. On the 2-core benchmark machine that was ≈ 750 threads started per second under the
 * session-core write load (docs/benchmarks.md, T4). {@link #of} completes a plain future on the thread that completes
 * the stage (for an ask: the replying actor's), so the callbacks chained on it run there without a hand-off; they
 * must therefore be short and never block.
 */
public final class InlineCompletion {
  private static final Executor SAME_THREAD = Runnable::run;

  private InlineCompletion() {}

  public static <T> CompletableFuture<T> of(CompletionStage<T> stage) {
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenCompleteAsync(
        (value, failure) -> {
          if (failure != null) result.completeExceptionally(failure);
          else result.complete(value);
        },
        SAME_THREAD);
    return result;
  }
}
