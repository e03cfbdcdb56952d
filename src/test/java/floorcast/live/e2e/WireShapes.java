package floorcast.live.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The exact server → client shapes of protocol.md §6: required and optional keys per type, no {@code null}, no
 * {@code version} (§1.7), JavaScript ISO timestamps (README "Timestamps"), integer counts, and seq rules (§1.5).
 */
final class WireShapes {
  private WireShapes() {}

  private static final Pattern JS_ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
  private static final Set<String> TIME_FIELDS = Set.of("timestamp", "startTime", "startedAt", "endsAt");
  private static final long MAX_SAFE = (1L << 53) - 1;

  private record Shape(Set<String> required, Set<String> optional, boolean sessionMessage) {}

  private static final Map<String, Shape> SHAPES = new HashMap<>();

  private static void shape(String type, boolean sessionMessage, List<String> required, List<String> optional) {
    Set<String> req = new TreeSet<>(required);
    req.add("type");
    if (sessionMessage) {
      req.add("sessionId");
      req.add("seq");
    }
    SHAPES.put(type, new Shape(req, Set.copyOf(optional), sessionMessage));
  }

  static {
    shape("SESSION_REGISTERED", true, List.of("authenticated", "djName", "resumed"), List.of());
    shape("SESSION_STARTED", true, List.of("djName", "startTime"), List.of());
    shape("DJ_STATUS", true, List.of("connected"), List.of());
    shape("NOW_PLAYING", true, List.of("djName", "track"), List.of());
    shape("METADATA_UPDATED", true, List.of("track"), List.of());
    shape("TRACK_STOPPED", true, List.of(), List.of());
    shape("TEMPO_RESET", true, List.of(), List.of());
    shape("TEMPO_FEEDBACK", true, List.of("faster", "slower", "perfect", "total"), List.of());
    shape("LIKE_RECEIVED", true, List.of("payload", "count"), List.of());
    shape("REACTION_RECEIVED", true, List.of("reaction", "count"), List.of());
    shape("LISTENER_COUNT", true, List.of("count"), List.of());
    shape(
        "POLL_STARTED",
        true,
        List.of("pollId", "question", "options"),
        List.of("endsAt", "votes", "totalVotes", "hasVoted", "votedOptionIndex"));
    shape("POLL_UPDATE", true, List.of("pollId", "votes", "totalVotes"), List.of());
    shape("POLL_ENDED", true, List.of("pollId", "results", "totalVotes", "winnerIndex"), List.of());
    shape("ANNOUNCEMENT_RECEIVED", true, List.of("message", "djName", "timestamp"), List.of("endsAt"));
    shape("ANNOUNCEMENT_CANCELLED", true, List.of(), List.of());
    shape("SESSION_EXPIRED", true, List.of("reason"), List.of());
    // SESSION_ENDED: lobby event with seq, or a direct reply to SUBSCRIBE without it (§6)
    shape("SESSION_ENDED", false, List.of("sessionId"), List.of("seq"));
    shape("SESSIONS_LIST", false, List.of("sessions"), List.of());
    shape("SESSION_VALID", false, List.of("sessionId", "isValid"), List.of());
    shape("PONG", false, List.of(), List.of());
    shape("ACK", false, List.of("messageId", "status", "timestamp"), List.of());
    shape("NACK", false, List.of("messageId", "error", "code", "timestamp"), List.of());
    shape("ERROR", false, List.of("code", "message"), List.of());
  }

  /** Asserts the frame has exactly its type's keys, with valid values. */
  static void check(JsonNode frame) {
    String type = frame.path("type").asText();
    Shape shape = SHAPES.get(type);
    assertNotNull(shape, "server sent an undocumented type: " + frame);
    Set<String> keys = new TreeSet<>();
    frame.fieldNames().forEachRemaining(keys::add);
    assertTrue(keys.containsAll(shape.required()), "missing keys " + shape.required() + " in " + frame);
    for (String key : keys) {
      assertTrue(shape.required().contains(key) || shape.optional().contains(key), "unexpected key " + key + " in " + frame);
    }
    noNulls(frame, frame);
    if (frame.has("seq")) {
      JsonNode seq = frame.get("seq");
      assertTrue(seq.isIntegralNumber() && seq.asLong() > 0 && seq.asLong() <= MAX_SAFE, "seq " + frame);
    }
    if (frame.has("sessionId")) assertTrue(frame.get("sessionId").isTextual(), "sessionId " + frame);
    for (String f : List.of("count", "pollId", "totalVotes", "winnerIndex", "votedOptionIndex", "faster", "slower", "perfect", "total")) {
      if (frame.has(f)) assertTrue(frame.get(f).isIntegralNumber(), f + " must be an integer: " + frame);
    }
    if (frame.has("djName")) {
      String name = frame.get("djName").asText();
      assertTrue(name.length() >= 1 && name.length() <= 100 && name.chars().noneMatch(c -> "<>\"'".indexOf(c) >= 0), "djName " + frame);
    }
    if (frame.has("track")) checkTrack(frame.get("track"), frame);
    if (type.equals("ACK")) assertEquals("ok", frame.get("status").asText(), frame.toString());
    if (type.equals("PONG")) assertEquals("{\"type\":\"PONG\"}", frame.toString());
    if (type.equals("SESSIONS_LIST")) {
      for (JsonNode s : frame.get("sessions")) {
        Set<String> k = new TreeSet<>();
        s.fieldNames().forEachRemaining(k::add);
        assertTrue(k.containsAll(Set.of("sessionId", "djName", "startedAt", "listenerCount")), "entry " + s);
        k.removeAll(Set.of("sessionId", "djName", "startedAt", "listenerCount", "currentTrack"));
        assertTrue(k.isEmpty(), "unexpected keys " + k + " in " + s);
        if (s.has("currentTrack")) checkTrack(s.get("currentTrack"), frame);
      }
    }
  }

  /** Checks every frame and that seq strictly increases per session within {@code frames}, starting above {@code seen}. */
  static void checkAll(List<JsonNode> frames, Map<String, Long> seen) {
    for (JsonNode f : frames) {
      check(f);
      if (f.has("seq")) {
        String session = f.get("sessionId").asText();
        long seq = f.get("seq").asLong();
        Long before = seen.get(session);
        assertTrue(before == null || seq > before, "seq must increase: " + before + " then " + f);
        seen.put(session, seq);
      }
    }
  }

  private static void checkTrack(JsonNode track, JsonNode frame) {
    assertTrue(track.isObject(), "track " + frame);
    String title = track.path("title").asText("");
    String artist = track.path("artist").asText("");
    assertTrue(!title.isEmpty() && title.length() <= 500 && !artist.isEmpty() && artist.length() <= 500, "track " + frame);
    if (track.has("bpm")) assertTrue(track.get("bpm").isNumber() && track.get("bpm").asDouble() >= 40 && track.get("bpm").asDouble() <= 300, "bpm " + frame);
    if (track.has("key")) assertTrue(track.get("key").isTextual() && track.get("key").asText().length() <= 10, "key " + frame);
    Iterator<String> names = track.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      assertTrue(
          Set.of("title", "artist", "bpm", "key", "energy", "danceability", "brightness", "acousticness", "groove").contains(n),
          "track field " + n + " in " + frame);
    }
  }

  private static void noNulls(JsonNode node, JsonNode frame) {
    assertFalse(node.isNull(), "null in " + frame);
    if (node.isObject()) {
      assertFalse(node.has("version"), "the server never sends version: " + frame);
      node.fields().forEachRemaining(e -> {
        noNulls(e.getValue(), frame);
        if (TIME_FIELDS.contains(e.getKey())) {
          assertTrue(JS_ISO.matcher(e.getValue().asText()).matches(), e.getKey() + " format: " + frame);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> noNulls(n, frame));
    }
  }
}
