package floorcast.dj;

/**
 * One play read from the VirtualDJ history file (clients.md §6). {@code lastPlayTime} is Unix seconds, 0 when
 * missing or not numeric; artist and title are entity-decoded, trimmed and {@code Unknown} when empty.
 */
public record VdjEntry(long lastPlayTime, String artist, String title, String path) {

  /** New-line detection of clients.md §6: lastplaytime decides when both are set, else artist or title. */
  public boolean isDifferentPlayFrom(VdjEntry previous) {
    if (previous == null) return true;
    if (lastPlayTime != 0 && previous.lastPlayTime != 0) return lastPlayTime != previous.lastPlayTime;
    return !artist.equals(previous.artist) || !title.equals(previous.title);
  }

  public String label() {
    return artist + " – " + title;
  }
}
