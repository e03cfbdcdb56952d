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
      return HistoryFileReader.currentEntry(HistoryFileReader.read(file.get()));
    } catch (IOException e) {
      return Optional.empty(); // VirtualDJ may be rewriting it; next poll
    }
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
