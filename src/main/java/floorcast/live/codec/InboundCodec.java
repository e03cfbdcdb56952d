package floorcast.live.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import floorcast.session.TrackInfo;
import floorcast.session.TrackKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Text → {@link InboundFrame}: JSON parsing and every field rule of protocol.md §1.2, §1.6, §2 and the message
 * sections §3–§5. Stateless and thread-safe. Unknown fields are ignored; a JSON {@code null} counts as absent.
 */
public final class InboundCodec {
  public static final String INVALID_CODE = "invalid_message";
  public static final String UNKNOWN_CODE = "unknown_type";
  public static final String UNKNOWN_TEXT = "Unknown message type";
  public static final String INVALID_PREFIX = "Invalid message: ";

  /** Largest integer JavaScript represents exactly (2^53−1); server-issued ids never exceed it (§2, §11.1). */
  static final double MAX_SAFE_INTEGER = 9007199254740991d;

  static final String POLL_OPTION_COUNT = "Poll must have 2-10 options";
  static final String POLL_OPTION_LENGTH = "Poll options must be 1-100 characters";

  private static final int BULK_LIKE_MAX_TRACKS = 100;

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  public InboundCodec() {
    // messages are at most 10,240 chars (§1.2): nesting beyond this is never legitimate
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
  }

  public InboundFrame decode(String text) {
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      return invalid(null, "not valid JSON");
    }
    if (root == null || !root.isObject()) {
      return invalid(null, "not a JSON object");
    }
    String messageId;
    try {
      messageId = messageId(root.get("messageId"));
    } catch (InvalidField f) {
      return invalid(null, f.reason()); // the id itself is unusable: answered with ERROR (§1.6)
    }
    JsonNode typeNode = root.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      return invalid(messageId, "type must be a string");
    }
    String type = typeNode.textValue();
    if (!isClientType(type)) {
      return new InboundFrame.Invalid(messageId, UNKNOWN_TEXT, UNKNOWN_CODE);
    }
    try {
      String clientId = clientId(root.get("clientId"), type.equals("SUBSCRIBE") ? 8 : 1);
      ClientMessage message = body(type, root);
      return new InboundFrame.Valid(messageId, clientId, version(root.get("version")), message, type);
    } catch (InvalidField f) {
      return invalid(messageId, f.reason());
    }
  }

  private static InboundFrame.Invalid invalid(String messageId, String reason) {
    return new InboundFrame.Invalid(messageId, INVALID_PREFIX + reason, INVALID_CODE);
  }

  private static boolean isClientType(String type) {
    switch (type) {
      case "REGISTER_SESSION":
      case "BROADCAST_TRACK":
      case "METADATA_UPDATED":
      case "TRACK_STOPPED":
      case "END_SESSION":
      case "SEND_ANNOUNCEMENT":
      case "CANCEL_ANNOUNCEMENT":
      case "START_POLL":
      case "END_POLL":
      case "CANCEL_POLL":
      case "SUBSCRIBE":
      case "GET_SESSIONS":
      case "SEND_LIKE":
      case "SEND_BULK_LIKE":
      case "REMOVE_LIKE":
      case "SEND_TEMPO_REQUEST":
      case "VOTE_ON_POLL":
      case "SEND_REACTION":
      case "PING":
      case "VALIDATE_SESSION":
        return true;
      default:
        return false;
    }
  }

  private static ClientMessage body(String type, JsonNode m) {
    switch (type) {
      case "REGISTER_SESSION":
        return new ClientMessage.RegisterSession(
            optionalSessionId8(m.get("sessionId")), djName(m.get("djName")), token(m.get("token")));
      case "BROADCAST_TRACK":
        return new ClientMessage.BroadcastTrack(sessionId8(m.get("sessionId")), track(m.get("track"), "track"));
      case "METADATA_UPDATED":
        return new ClientMessage.UpdateMetadata(sessionId8(m.get("sessionId")), track(m.get("track"), "track"));
      case "TRACK_STOPPED":
        return new ClientMessage.StopTrack(sessionId8(m.get("sessionId")));
      case "END_SESSION":
        return new ClientMessage.EndSession(sessionId8(m.get("sessionId")));
      case "SEND_ANNOUNCEMENT":
        return new ClientMessage.SendAnnouncement(
            sessionId1(m.get("sessionId")),
            requiredText(m.get("message"), "message", 200),
            announcementDuration(m));
      case "CANCEL_ANNOUNCEMENT":
        return new ClientMessage.CancelAnnouncement(sessionId1(m.get("sessionId")));
      case "START_POLL":
        return new ClientMessage.StartPoll(
            sessionId1(m.get("sessionId")),
            requiredText(m.get("question"), "question", 500),
            pollOptions(m.get("options")),
            duration(m.get("durationSeconds"), 30, 300));
      case "END_POLL":
        return new ClientMessage.EndPoll(pollId(m.get("pollId")));
      case "CANCEL_POLL":
        {
          String sessionId = optionalSessionId64(m.get("sessionId"));
          JsonNode pollNode = m.get("pollId");
          Long pollId = absent(pollNode) ? null : pollId(pollNode);
          if (sessionId == null && pollId == null) {
            throw new InvalidField("pollId or sessionId is required");
          }
          return new ClientMessage.CancelPoll(sessionId, pollId);
        }
      case "SUBSCRIBE":
        return new ClientMessage.Subscribe(optionalSessionId8(m.get("sessionId")), lastSeq(m.get("lastSeq")));
      case "GET_SESSIONS":
        return new ClientMessage.GetSessions();
      case "SEND_LIKE":
        return new ClientMessage.SendLike(optionalSessionId64(m.get("sessionId")), payloadTrack(m.get("payload")));
      case "SEND_BULK_LIKE":
        return new ClientMessage.SendBulkLike(
            optionalSessionId64(m.get("sessionId")), payloadTracks(m.get("payload")));
      case "REMOVE_LIKE":
        return new ClientMessage.RemoveLike(optionalSessionId64(m.get("sessionId")), payloadTrack(m.get("payload")));
      case "SEND_TEMPO_REQUEST":
        return new ClientMessage.SendTempoRequest(sessionId1(m.get("sessionId")), preference(m.get("preference")));
      case "VOTE_ON_POLL":
        return new ClientMessage.VoteOnPoll(pollId(m.get("pollId")), optionIndex(m.get("optionIndex")));
      case "SEND_REACTION":
        {
          String sessionId = sessionId1(m.get("sessionId"));
          JsonNode reaction = m.get("reaction");
          if (reaction == null || !reaction.isTextual() || !reaction.textValue().equals("thank_you")) {
            throw new InvalidField("reaction must be thank_you");
          }
          return new ClientMessage.SendReaction(sessionId);
        }
      case "PING":
        return new ClientMessage.Ping();
      case "VALIDATE_SESSION":
        return new ClientMessage.ValidateSession(sessionId8(m.get("sessionId")));
      default:
        throw new IllegalStateException("not a client type: " + type);
    }
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull();
  }

  // §1.6: optional string of 1–128 chars, empty = absent; longer or non-string = invalid (and unusable)
  private static String messageId(JsonNode node) {
    if (absent(node)) return null;
    if (!node.isTextual() || node.textValue().length() > 128) {
      throw new InvalidField("messageId must be a string of 1-128 characters");
    }
    String id = node.textValue();
    return id.isEmpty() ? null : id;
  }

  // §2: optional, trimmed, 1–256 chars (SUBSCRIBE 8–256)
  private static String clientId(JsonNode node, int min) {
    if (absent(node)) return null;
    return trimmedText(node, "clientId", min, 256);
  }

  // §2: logged when a string ≤ 32 chars, otherwise ignored; never invalidates
  private static String version(JsonNode node) {
    if (node != null && node.isTextual() && node.textValue().length() <= 32) return node.textValue();
    return null;
  }

  private static String sessionId8(JsonNode node) {
    if (absent(node)) throw new InvalidField("sessionId is required");
    return trimmedText(node, "sessionId", 8, 64);
  }

  private static String optionalSessionId8(JsonNode node) {
    if (absent(node)) return null;
    return trimmedText(node, "sessionId", 8, 64);
  }

  private static String sessionId1(JsonNode node) {
    if (absent(node)) throw new InvalidField("sessionId is required");
    return trimmedText(node, "sessionId", 1, 64);
  }

  // §2: optional, trimmed, ≤ 64, empty = absent
  private static String optionalSessionId64(JsonNode node) {
    if (absent(node)) return null;
    String id = trimmedText(node, "sessionId", 0, 64);
    return id.isEmpty() ? null : id;
  }

  private static String trimmedText(JsonNode node, String name, int min, int max) {
    if (!node.isTextual()) throw new InvalidField(name + " must be a string");
    String value = TrackKey.jsTrim(node.textValue());
    if (value.length() < min || value.length() > max) {
      throw new InvalidField(
          name + (min == 0 ? " must be at most " + max : " must be " + min + "-" + max) + " characters");
    }
    return value;
  }

  private static String requiredText(JsonNode node, String name, int max) {
    if (absent(node)) throw new InvalidField(name + " is required");
    return trimmedText(node, name, 1, max);
  }

  // §3.1: trimmed, 1–100 chars, none of < > " '
  private static String djName(JsonNode node) {
    if (absent(node)) return null;
    String name = trimmedText(node, "djName", 1, 100);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '<' || c == '>' || c == '"' || c == '\'') {
        throw new InvalidField("djName must not contain < > \" or '");
      }
    }
    return name;
  }

  // §3.1: empty string or 10–2000 chars; empty is handled as absent
  private static String token(JsonNode node) {
    if (absent(node)) return null;
    if (!node.isTextual()) throw new InvalidField("token must be a string");
    String token = node.textValue();
    if (token.isEmpty()) return null;
    if (token.length() < 10 || token.length() > 2000) {
      throw new InvalidField("token must be empty or 10-2000 characters");
    }
    return token;
  }

  // §3.6: `push` is an optional boolean, accepted and ignored; any other type is a schema violation
  private static Integer announcementDuration(JsonNode m) {
    JsonNode push = m.get("push");
    if (!absent(push) && !push.isBoolean()) throw new InvalidField("push must be a boolean");
    return duration(m.get("durationSeconds"), 60, 3600);
  }

  private static Integer duration(JsonNode node, int min, int max) {
    if (absent(node)) return null;
    if (!node.isNumber()) throw new InvalidField("durationSeconds must be a number");
    double seconds = node.doubleValue();
    if (!(seconds >= min && seconds <= max)) {
      throw new InvalidField("durationSeconds must be " + min + "-" + max);
    }
    // bounds are integers, so rounding a fraction stays inside them
    return (int) Math.round(seconds);
  }

  private static List<String> pollOptions(JsonNode node) {
    if (absent(node) || !node.isArray() || node.size() < 2 || node.size() > 10) {
      throw new InvalidField(POLL_OPTION_COUNT);
    }
    List<String> options = new ArrayList<>(node.size());
    for (JsonNode option : node) {
      if (!option.isTextual()) throw new InvalidField(POLL_OPTION_LENGTH);
      String text = TrackKey.jsTrim(option.textValue());
      if (text.isEmpty() || text.length() > 100) throw new InvalidField(POLL_OPTION_LENGTH);
      options.add(text);
    }
    return List.copyOf(options);
  }

  // §2: a JSON number; anything but a server-issued id (integer 1 … 2^53−1) matches no poll
  private static long pollId(JsonNode node) {
    if (absent(node)) throw new InvalidField("pollId is required");
    if (!node.isNumber()) throw new InvalidField("pollId must be a number");
    double value = node.doubleValue();
    if (value >= 1 && value <= MAX_SAFE_INTEGER && value == Math.rint(value)) {
      return node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : (long) value;
    }
    return -1;
  }

  private static double optionIndex(JsonNode node) {
    if (absent(node)) throw new InvalidField("optionIndex is required");
    if (!node.isNumber()) throw new InvalidField("optionIndex must be a number");
    return node.doubleValue();
  }

  private static Long lastSeq(JsonNode node) {
    if (absent(node)) return null;
    if (!node.isNumber()) throw new InvalidField("lastSeq must be an integer >= 0");
    double value = node.doubleValue();
    if (!(value >= 0) || value != Math.rint(value) || Double.isInfinite(value)) {
      throw new InvalidField("lastSeq must be an integer >= 0");
    }
    return node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : (long) value;
  }

  private static String preference(JsonNode node) {
    if (node != null && node.isTextual()) {
      String value = node.textValue();
      if (value.equals("faster") || value.equals("slower") || value.equals("perfect") || value.equals("clear")) {
        return value;
      }
    }
    throw new InvalidField("preference must be faster, slower, perfect or clear");
  }

  private static TrackInfo payloadTrack(JsonNode payload) {
    if (absent(payload) || !payload.isObject()) throw new InvalidField("payload must be an object");
    return track(payload.get("track"), "payload.track");
  }

  // §4.4: every element must be a valid TrackInfo; only the first 100 are processed
  private static List<TrackInfo> payloadTracks(JsonNode payload) {
    if (absent(payload) || !payload.isObject()) throw new InvalidField("payload must be an object");
    JsonNode tracks = payload.get("tracks");
    if (absent(tracks) || !tracks.isArray()) throw new InvalidField("payload.tracks must be an array");
    List<TrackInfo> result = new ArrayList<>(Math.min(tracks.size(), BULK_LIKE_MAX_TRACKS));
    for (int i = 0; i < tracks.size(); i++) {
      TrackInfo track = track(tracks.get(i), "payload.tracks[" + i + "]");
      if (i < BULK_LIKE_MAX_TRACKS) result.add(track);
    }
    return List.copyOf(result);
  }

  // §2 TrackInfo; other fields inside track are ignored
  static TrackInfo track(JsonNode node, String name) {
    if (absent(node)) throw new InvalidField(name + " is required");
    if (!node.isObject()) throw new InvalidField(name + " must be an object");
    JsonNode title = node.get("title");
    if (absent(title)) throw new InvalidField(name + ".title is required");
    JsonNode artist = node.get("artist");
    if (absent(artist)) throw new InvalidField(name + ".artist is required");
    String titleText = trimmedText(title, name + ".title", 1, 500);
    String artistText = trimmedText(artist, name + ".artist", 1, 500);
    Double bpm = number(node.get("bpm"), name + ".bpm", 40, 300);
    String key = null;
    JsonNode keyNode = node.get("key");
    if (!absent(keyNode)) {
      if (!keyNode.isTextual()) throw new InvalidField(name + ".key must be a string");
      if (keyNode.textValue().length() > 10) throw new InvalidField(name + ".key must be at most 10 characters");
      key = keyNode.textValue();
    }
    return new TrackInfo(
        titleText,
        artistText,
        bpm,
        key,
        number(node.get("energy"), name + ".energy", 0, 100),
        number(node.get("danceability"), name + ".danceability", 0, 100),
        number(node.get("brightness"), name + ".brightness", 0, 100),
        number(node.get("acousticness"), name + ".acousticness", 0, 100),
        number(node.get("groove"), name + ".groove", 0, 100));
  }

  private static Double number(JsonNode node, String name, double min, double max) {
    if (absent(node)) return null;
    if (!node.isNumber()) throw new InvalidField(name + " must be a number");
    double value = node.doubleValue();
    if (!(value >= min && value <= max)) {
      throw new InvalidField(name + " must be " + plain(min) + "-" + plain(max));
    }
    return value;
  }

  private static String plain(double d) {
    return Long.toString((long) d);
  }
}
