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
  void entityAndProjectionAgreeOnEveryTag() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String id = "pika_" + (1736972400000L + i) + "_k3j9x2m1q";
      assertEquals(DjSession.tagFor(id), ProjectionTags.tagFor(id), id);
      seen.add(ProjectionTags.tagFor(id));
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
