package floorcast.dj;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Parser of VirtualDJ's extended M3U history (clients.md §6): UTF-8 with optional BOM, LF or CRLF, an optional
 * {@code #EXTM3U} header, then per play an {@code #EXTVDJ:} line with XML-like tags followed by the file path.
 */
public final class HistoryFileReader {
  static final String ENTRY_PREFIX = "#EXTVDJ:";
  static final int IMPORT_MAX_ENTRIES = 200;
  static final Duration IMPORT_WINDOW = Duration.ofHours(24);
  static final Duration SET_GAP = Duration.ofMinutes(30);
  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

  private HistoryFileReader() {}

  public static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  /** Lines without BOM and line terminators, after trimming the file's trailing white space. */
  static List<String> lines(String content) {
    String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
    text = text.stripTrailing();
    if (text.isEmpty()) return List.of();
    return List.of(LINE_BREAK.split(text, -1));
  }

  /**
   * Live read (clients.md §6): the last line is the file path, the line before it the entry; no entry when that line
   * is not an {@code #EXTVDJ:} line.
   */
  public static Optional<VdjEntry> currentEntry(String content) {
    List<String> lines = lines(content);
    if (lines.size() < 2) return Optional.empty();
    String entryLine = lines.get(lines.size() - 2);
    if (!entryLine.startsWith(ENTRY_PREFIX)) return Optional.empty();
    return Optional.of(parseEntry(entryLine, lines.get(lines.size() - 1).strip()));
  }

  /** One {@code #EXTVDJ:} line plus its path; missing values get the defaults of clients.md §6. */
  public static VdjEntry parseEntry(String entryLine, String path) {
    String body = entryLine.substring(ENTRY_PREFIX.length());
    return new VdjEntry(
        playTime(tag(body, "lastplaytime")), textOrUnknown(tag(body, "artist")), textOrUnknown(tag(body, "title")), path);
  }

  /** Text between the first {@code <tag>} and the first {@code </tag>} after it, or null. */
  static String tag(String body, String name) {
    String open = "<" + name + ">";
    int start = body.indexOf(open);
    if (start < 0) return null;
    int from = start + open.length();
    int end = body.indexOf("</" + name + ">", from);
    return end < 0 ? null : body.substring(from, end);
  }

  private static long playTime(String raw) {
    if (raw == null) return 0;
    try {
      long v = Long.parseLong(raw.strip());
      return v < 0 ? 0 : v;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String textOrUnknown(String raw) {
    if (raw == null) return "Unknown";
    String decoded = HtmlEntities.decode(raw).strip();
    return decoded.isEmpty() ? "Unknown" : decoded;
  }

  /**
   * History import (clients.md §6): entries read backwards (at most 200; lines that are neither an entry, its path
   * nor the header are skipped with a warning), kept when played within 24 h before {@code now}, then walked back
   * from the newest until a gap of more than 30 min. Returned oldest first.
   */
  public static List<VdjEntry> tonightsSet(String content, Instant now, Consumer<String> warnings) {
    List<String> lines = lines(content);
    List<VdjEntry> newestFirst = new ArrayList<>();
    for (int i = lines.size() - 1; i >= 0 && newestFirst.size() < IMPORT_MAX_ENTRIES; i--) {
      String line = lines.get(i);
      if (line.startsWith(ENTRY_PREFIX)) {
        String next = i + 1 < lines.size() ? lines.get(i + 1) : "";
        String path = next.startsWith("#") ? "" : next.strip();
        newestFirst.add(parseEntry(line, path));
      } else if (line.isBlank() || line.startsWith("#EXTM3U")) {
        // header or blank separator
      } else if (i > 0 && lines.get(i - 1).startsWith(ENTRY_PREFIX)) {
        // the path of the entry above; read together with it
      } else {
        warnings.accept("history line " + (i + 1) + " skipped (not part of a VirtualDJ entry): " + abbreviate(line));
      }
    }
    long nowSeconds = now.getEpochSecond();
    long oldest = nowSeconds - IMPORT_WINDOW.toSeconds();
    List<VdjEntry> set = new ArrayList<>();
    VdjEntry newer = null;
    for (VdjEntry e : newestFirst) {
      if (e.lastPlayTime() == 0 || e.lastPlayTime() < oldest || e.lastPlayTime() > nowSeconds + 60) {
        if (e.lastPlayTime() == 0) warnings.accept("history entry without play time skipped: " + e.label());
        if (newer != null && e.lastPlayTime() != 0) break;
        continue;
      }
      if (newer != null && newer.lastPlayTime() - e.lastPlayTime() > SET_GAP.toSeconds()) break;
      set.add(e);
      newer = e;
    }
    Collections.reverse(set);
    return set;
  }

  private static String abbreviate(String line) {
    return line.length() <= 60 ? line : line.substring(0, 57) + "...";
  }
}
