package floorcast.readside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import floorcast.session.DjSession;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The projection reads exactly the tags the session entity writes. */
class ProjectionTagsTest {
  @Test
  void theTagOfASessionNeverChanges() {
    // persisted tags and projection offsets depend on it: a change of formula would re-route live sessions
    assertEquals("session-4", DjSession.tagFor("pika_1736972400000_k3j9x2m1q"));
  }

  @Test
  void everyTagTheEntityWritesIsReadByOneProjectionInstance() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String id = "pika_" + (1736972400000L + i) + "_k3j9x2m1q";
      seen.add(DjSession.tagFor(id));
    }
    Set<String> all = new HashSet<>();
    for (int i = 0; i < ProjectionTags.COUNT; i++) all.add(ProjectionTags.tag(i));
    assertEquals(all, seen, "ids spread over all projection instances");
  }

  @Test
  void tagIndexOutsideTheRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ProjectionTags.tag(ProjectionTags.COUNT));
    assertThrows(IllegalArgumentException.class, () -> ProjectionTags.tag(-1));
  }
}
