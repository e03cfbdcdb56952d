package floorcast.dj;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential reconnect delay with jitter, from {@code baseMillis} up to {@code maxMillis}, unlimited attempts (clients.md §5). */
public final class ReconnectBackoff {
  private final long baseMillis;
  private final long maxMillis;
  private int attempt;

  public ReconnectBackoff(long baseMillis, long maxMillis) {
    this.baseMillis = baseMillis;
    this.maxMillis = maxMillis;
  }

  public static ReconnectBackoff standard() {
    return new ReconnectBackoff(1_000, 30_000);
  }

  /** Delay before the next attempt: base·2^n plus up to 25 % jitter, never below base nor above max. */
  public long nextDelayMillis() {
    long exp = Math.min(maxMillis, baseMillis << Math.min(attempt, 20));
    attempt++;
    long jitter = ThreadLocalRandom.current().nextLong(exp / 4 + 1);
    return Math.max(baseMillis, Math.min(maxMillis, exp + jitter));
  }

  public void reset() {
    attempt = 0;
  }
}
