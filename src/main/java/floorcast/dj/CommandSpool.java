package floorcast.dj;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The on-disk copy of a session's unacknowledged DJ commands (clients.md §5): one JSON frame per line, in sending
 * order. Rewritten atomically on every change, so a client killed at any moment finds either the old or the new list
 * and, resumed with {@code --resume}, flushes it in order. DJ command volume is tiny, so rewriting is cheap.
 */
public final class CommandSpool {
  private final Path file;

  public CommandSpool(Path directory, String sessionId) {
    this.file = directory.resolve("spool-" + sessionId.replaceAll("[^A-Za-z0-9_.-]", "_") + ".jsonl");
  }

  public Path file() {
    return file;
  }

  /** Frames left by an earlier run, oldest first; empty when there are none. */
  public List<String> load() {
    if (!Files.exists(file)) return List.of();
    try {
      List<String> frames = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) frames.add(line);
      }
      return frames;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read command spool " + file, e);
    }
  }

  /** Replaces the spool with {@code frames} (each a single-line JSON text); an empty list removes the file. */
  public void save(List<String> frames) {
    try {
      if (frames.isEmpty()) {
        Files.deleteIfExists(file);
        return;
      }
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, (String.join("\n", frames) + "\n").getBytes(StandardCharsets.UTF_8));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write command spool " + file, e);
    }
  }
}
