package floorcast.dj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BroadcastThrottleTest {
  @Test
  void firstTrackGoesAtOnce() {
    BroadcastThrottle<String> t = new BroadcastThrottle<>(5_000);
    assertEquals(Optional.of("A"), t.offer("A", 0));
    assertFalse(t.hasWaiting());
  }

  @Test
  void trackInsideTheWindowWaitsUntilItEnds() {
    BroadcastThrottle<String> t = new BroadcastThrottle<>(5_000);
    t.offer("A", 1_000);
    assertEquals(Optional.empty(), t.offer("B", 2_000));
    assertEquals(OptionalLong.of(6_000), t.dueAt());
    assertEquals(Optional.empty(), t.poll(5_999));
    assertEquals(Optional.of("B"), t.poll(6_000));
    assertFalse(t.hasWaiting());
  }

  @Test
  void newerWaitingTrackReplacesTheOlderWaitingOne() {
    BroadcastThrottle<String> t = new BroadcastThrottle<>(5_000);
    t.offer("A", 0);
    t.offer("B", 1_000);
    t.offer("C", 2_000);
    assertEquals(Optional.of("C"), t.poll(5_000));
    assertEquals(Optional.empty(), t.poll(20_000), "B was replaced, never sent");
  }

  @Test
  void releasedWaitingTrackStartsANewWindow() {
    BroadcastThrottle<String> t = new BroadcastThrottle<>(5_000);
    t.offer("A", 0);
    t.offer("B", 1_000);
    assertEquals(Optional.of("B"), t.poll(5_000));
    assertEquals(Optional.empty(), t.offer("C", 9_999));
    assertEquals(Optional.of("C"), t.poll(10_000));
  }

  @Test
  void aTrackAfterTheWindowGoesAtOnce() {
    BroadcastThrottle<String> t = new BroadcastThrottle<>(5_000);
    t.offer("A", 0);
    assertTrue(t.offer("B", 5_000).isPresent());
  }

  @Test
  void whileOneWaitsANewerOneNeverOvertakesIt() {
    BroadcastThrottle<String> t = new BroadcastThrottle<>(5_000);
    t.offer("A", 0);
    t.offer("B", 4_000);
    // the window has passed but B is still waiting (not yet polled): C replaces it rather than going first
    assertEquals(Optional.empty(), t.offer("C", 6_000));
    assertEquals(Optional.of("C"), t.poll(6_000));
  }
}
