package floorcast.api;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.readside.FingerprintEntry;
import floorcast.readside.FingerprintSync;
import java.util.ArrayList;
import java.util.List;

/** Body of {@code POST {S}/:id/sync-fingerprints} (rest.md §4.5): either the entries or the 400 text. */
public record FingerprintRequest(List<FingerprintEntry> entries, String error) {

  /** Entries that are not objects become null (skipped, but counted in {@code total}). */
  public static FingerprintRequest parse(String body) {
    JsonNode root = RequestBodies.jsonObject(body).orElse(null);
    if (root == null || !root.path("tracks").isArray()) {
      return new FingerprintRequest(null, ApiErrors.TRACKS_REQUIRED);
    }
    JsonNode tracks = root.get("tracks");
    if (tracks.size() > FingerprintSync.MAX_ENTRIES) return new FingerprintRequest(null, ApiErrors.TOO_MANY_TRACKS);
    List<FingerprintEntry> entries = new ArrayList<>();
    for (JsonNode t : tracks) {
      if (!t.isObject()) {
        entries.add(null);
        continue;
      }
      entries.add(
          new FingerprintEntry(
              string(t, "artist"),
              string(t, "title"),
              number(t, "bpm"),
              string(t, "key"),
              number(t, "energy"),
              number(t, "danceability"),
              number(t, "brightness"),
              number(t, "acousticness"),
              number(t, "groove")));
    }
    return new FingerprintRequest(entries, null);
  }

  private static String string(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  private static Double number(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v != null && v.isNumber() ? v.doubleValue() : null;
  }
}
