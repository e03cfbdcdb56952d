package floorcast.dj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandSpoolTest {
  @TempDir Path dir;

  @Test
  void framesSurviveANewInstanceInOrder() {
    CommandSpool first = new CommandSpool(dir, "pika_1_abc");
    List<String> frames =
        List.of(
            "{\"type\":\"BROADCAST_TRACK\",\"messageId\":\"m1\"}",
            "{\"type\":\"SEND_ANNOUNCEMENT\",\"messageId\":\"m2\",\"message\":\"ünïcode ♥\"}",
            "{\"type\":\"START_POLL\",\"messageId\":\"m3\"}");
    first.save(frames);
    assertEquals(frames, new CommandSpool(dir, "pika_1_abc").load());
  }

  @Test
  void emptySpoolRemovesTheFile() {
    CommandSpool spool = new CommandSpool(dir, "pika_1_abc");
    spool.save(List.of("{\"type\":\"X\",\"messageId\":\"m\"}"));
    assertTrue(Files.exists(spool.file()));
    spool.save(List.of());
    assertFalse(Files.exists(spool.file()));
    assertEquals(List.of(), spool.load());
  }

  @Test
  void spoolsAreKeptPerSessionWithSafeFileNames() {
    CommandSpool a = new CommandSpool(dir, "pika_1_abc");
    CommandSpool b = new CommandSpool(dir, "../weird/id");
    a.save(List.of("{\"a\":1}"));
    b.save(List.of("{\"b\":1}"));
    assertEquals(List.of("{\"a\":1}"), a.load());
    assertEquals(List.of("{\"b\":1}"), b.load());
    assertEquals(dir, b.file().getParent());
  }
}
