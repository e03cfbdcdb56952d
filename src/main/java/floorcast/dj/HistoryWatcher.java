package floorcast.dj;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Live read of the VirtualDJ history (clients.md §6), one {@link #poll()} per second: re-locates the current file
 * (VirtualDJ starts new ones), reads its last entry and reports it when it is a different play from the previous one.
 * Not thread-safe: polled from the client's loop.
 */
public final class HistoryWatcher {
  private final HistoryLocator locator;
  private final Consumer<VdjEntry> newPlays;
  private final DjOutput out;
  private VdjEntry previous;
  private Path lastFile;
  private boolean missingReported;
  private String skippedTail;

  public HistoryWatcher(HistoryLocator locator, Consumer<VdjEntry> newPlays, DjOutput out) {
    this.locator = locator;
    this.newPlays = newPlays;
    this.out = out;
  }

  /** The entry treated as already known (start with {@code --skip-current}, or the newest imported play). */
  public void assumeKnown(VdjEntry entry) {
    previous = entry;
  }

  /** The current entry of the current file, if any. */
  public Optional<VdjEntry> readCurrent() {
    Optional<Path> file = locator.currentFile();
    if (file.isEmpty()) {
      if (!missingReported) out.warn("no VirtualDJ history file found (" + locator.describe() + "); waiting for one");
      missingReported = true;
      return Optional.empty();
    }
    if (!file.get().equals(lastFile)) {
      out.info("Reading VirtualDJ history " + file.get());
      lastFile = file.get();
      missingReported = false;
    }
    try {
      String content = HistoryFileReader.read(file.get());
      Optional<VdjEntry> entry = HistoryFileReader.currentEntry(content);
      if (entry.isEmpty()) warnOnceAboutTail(content);
      else skippedTail = null;
      return entry;
    } catch (IOException e) {
      return Optional.empty(); // VirtualDJ may be rewriting it; next poll
    }
  }

  /**
   * The file ends with something that is not an entry plus its path (clients.md §6: no current track): say so once per
   * distinct tail, so the DJ knows why a play is not shown, instead of staying silent or warning every second.
   */
  private void warnOnceAboutTail(String content) {
    java.util.List<String> lines = HistoryFileReader.lines(content);
    if (lines.isEmpty() || lines.size() == 1 && lines.get(0).strip().equals("#EXTM3U")) return;
    String tail = lines.get(lines.size() - 1).strip();
    if (tail.equals(skippedTail)) return;
    skippedTail = tail;
    String shown = tail.length() > 80 ? tail.substring(0, 80) + "…" : tail;
    out.warn("history line " + lines.size() + " skipped (not part of a VirtualDJ entry): " + shown);
  }

  public Optional<Path> currentFile() {
    return locator.currentFile();
  }

  /** One poll: reports the newest entry when it is a new play. */
  public void poll() {
    readCurrent()
        .ifPresent(
            entry -> {
              if (entry.isDifferentPlayFrom(previous)) {
                previous = entry;
                newPlays.accept(entry);
              }
            });
  }
}
