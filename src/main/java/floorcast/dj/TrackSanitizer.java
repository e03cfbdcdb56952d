package floorcast.dj;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Values sanitised before sending (clients.md §5): title/artist trimmed and cut to 500 chars ({@code Unknown} if
 * empty), {@code bpm} omitted unless 40–300, {@code key} omitted if longer than 10 chars (or blank).
 */
public final class TrackSanitizer {
  static final int MAX_TEXT = 500;

  private TrackSanitizer() {}

  public static ObjectNode track(String artist, String title, Double bpm, String key) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.put("title", text(title));
    t.put("artist", text(artist));
    if (bpm != null && !bpm.isNaN() && bpm >= 40 && bpm <= 300) t.put("bpm", bpm);
    if (key != null && !key.isBlank() && key.strip().length() <= 10) t.put("key", key.strip());
    return t;
  }

  static String text(String raw) {
    String s = raw == null ? "" : raw.strip();
    if (s.isEmpty()) return "Unknown";
    if (s.length() <= MAX_TEXT) return s;
    // do not cut a surrogate pair in half
    int end = Character.isHighSurrogate(s.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
    return s.substring(0, end).strip();
  }
}
