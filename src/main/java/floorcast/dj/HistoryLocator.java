package floorcast.dj;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the current VirtualDJ history file (clients.md §6): a configured path that is neither empty nor {@code auto}
 * and exists wins (a folder is searched like the default one); otherwise the first existing of
 * {@code <home>/Documents/VirtualDJ/History} and {@code <home>/Library/Application Support/VirtualDJ/History}, where
 * home is {@code HOME}, else {@code USERPROFILE}. In the folder the most recently modified {@code *.m3u} is current.
 */
public final class HistoryLocator {
  private final String configured;
  private final Map<String, String> env;

  public HistoryLocator(String configured, Map<String, String> env) {
    this.configured = configured == null ? "" : configured.strip();
    this.env = env;
  }

  public Optional<Path> currentFile() {
    if (!configured.isEmpty() && !configured.equalsIgnoreCase("auto")) {
      Path custom = Path.of(configured);
      if (Files.isRegularFile(custom)) return Optional.of(custom);
      if (Files.isDirectory(custom)) return newestM3u(custom);
    }
    return historyFolder().flatMap(HistoryLocator::newestM3u);
  }

  Optional<Path> historyFolder() {
    Optional<Path> home = home();
    if (home.isEmpty()) return Optional.empty();
    for (Path candidate :
        List.of(
            home.get().resolve("Documents").resolve("VirtualDJ").resolve("History"),
            home.get().resolve("Library").resolve("Application Support").resolve("VirtualDJ").resolve("History"))) {
      if (Files.isDirectory(candidate)) return Optional.of(candidate);
    }
    return Optional.empty();
  }

  Optional<Path> home() {
    return home(env);
  }

  /** The user's home of clients.md §6: {@code HOME}, else {@code USERPROFILE} (also where the DJ client keeps its state). */
  static Optional<Path> home(Map<String, String> env) {
    for (String name : List.of("HOME", "USERPROFILE")) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) return Optional.of(Path.of(v));
    }
    return Optional.empty();
  }

  static Optional<Path> newestM3u(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".m3u"))
          .filter(Files::isRegularFile)
          .max(Comparator.comparing(HistoryLocator::modified));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  public String describe() {
    return configured.isEmpty() || configured.equalsIgnoreCase("auto") ? "auto" : configured;
  }
}
