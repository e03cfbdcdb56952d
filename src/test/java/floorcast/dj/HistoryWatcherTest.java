package floorcast.dj;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live read with broken lines (clients.md §6): skipped with one warning each, the next entry still goes out. */
class HistoryWatcherTest {
  @TempDir Path dir;

  final List<String> warnings = new ArrayList<>();
  final List<String> plays = new ArrayList<>();
  final DjOutput out =
      new DjOutput() {
        @Override
        public void info(String line) {}

        @Override
        public void warn(String line) {
          warnings.add(line);
        }
      };

  static String entry(long t, String title) {
    return "#EXTVDJ:<lastplaytime>" + t + "</lastplaytime><artist>A</artist><title>" + title + "</title>\n/m/" + title + ".mp3\n";
  }

  @Test
  void aBrokenLastLineIsReportedOnceAndTheNextEntryIsAPlay() throws Exception {
    Path file = dir.resolve("h.m3u");
    Files.writeString(file, "#EXTM3U\nnot an entry\n" + entry(100, "One"), StandardCharsets.UTF_8);
    HistoryWatcher watcher = new HistoryWatcher(new HistoryLocator(file.toString(), Map.of()), e -> plays.add(e.title()), out);
    watcher.poll();
    assertEquals(List.of("One"), plays);
    assertEquals(List.of(), warnings, "a broken line between entries does not hide the current one");

    Files.writeString(file, "half-written <line\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    watcher.poll();
    watcher.poll();
    assertEquals(List.of("history line 5 skipped (not part of a VirtualDJ entry): half-written <line"), warnings);

    Files.writeString(file, entry(200, "Two"), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    watcher.poll();
    watcher.poll();
    assertEquals(List.of("One", "Two"), plays);
    assertEquals(1, warnings.size());
  }

  @Test
  void aFileWithOnlyTheHeaderIsNoWarning() throws Exception {
    Path file = dir.resolve("h.m3u");
    Files.writeString(file, "\uFEFF#EXTM3U\r\n", StandardCharsets.UTF_8);
    new HistoryWatcher(new HistoryLocator(file.toString(), Map.of()), e -> plays.add(e.title()), out).poll();
    assertEquals(List.of(), warnings);
    assertEquals(List.of(), plays);
  }
}
