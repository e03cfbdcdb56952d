package floorcast.live.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** protocol.md §1.2: more than 20 invalid messages within a sliding 60 s window. */
class InvalidMessageBudgetTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void the21stWithin60sExceeds() {
    InvalidMessageBudget budget = new InvalidMessageBudget(20, 60 * SECOND);
    long t = 1_000 * SECOND;
    for (int i = 0; i < 20; i++) assertFalse(budget.recordAndExceeded(t + i * SECOND));
    assertTrue(budget.recordAndExceeded(t + 59 * SECOND));
  }

  @Test
  void theWindowSlides() {
    InvalidMessageBudget budget = new InvalidMessageBudget(20, 60 * SECOND);
    long t = 1_000 * SECOND;
    for (int i = 0; i < 20; i++) assertFalse(budget.recordAndExceeded(t));
    // 60 s after the first burst those no longer count
    assertFalse(budget.recordAndExceeded(t + 60 * SECOND));
    for (int i = 0; i < 19; i++) assertFalse(budget.recordAndExceeded(t + 61 * SECOND));
    assertTrue(budget.recordAndExceeded(t + 62 * SECOND));
  }
}
