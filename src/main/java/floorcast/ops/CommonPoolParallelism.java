package floorcast.ops;

import java.util.concurrent.ForkJoinPool;

/**
 * The JDK sizes the common fork-join pool to cores − 1; with one thread (a 2-core machine) every
 * {@code CompletableFuture} callback that goes "async" without an executor — and the Scala-converted futures of
 * Pekko's Java API make every callback async — starts a new thread instead ({@link PekkoCompletion}). Raising the
 * pool to two threads before it exists keeps those callbacks on pooled threads. Only effective when called before
 * anything touches {@link ForkJoinPool} (the node's main class does it first); an explicit
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} wins.
 */
public final class CommonPoolParallelism {
  static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPoolParallelism() {}

  /** Sets the property to 2 if unset and the machine would get fewer; returns the pool's effective parallelism. */
  public static int ensureAtLeastTwo() {
    if (System.getProperty(PROPERTY) == null && Runtime.getRuntime().availableProcessors() - 1 < 2) {
      System.setProperty(PROPERTY, "2");
    }
    return ForkJoinPool.getCommonPoolParallelism();
  }
}
