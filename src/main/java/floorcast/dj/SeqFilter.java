package floorcast.dj;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The client {@code seq} rule of protocol.md §1.5: remember the highest {@code seq} applied per {@code sessionId},
 * drop any message whose {@code seq} is not above it, always apply messages without {@code seq}.
 */
public final class SeqFilter {
  private final Map<String, Long> highest = new HashMap<>();

  public boolean accept(JsonNode message) {
    JsonNode seq = message.get("seq");
    JsonNode session = message.get("sessionId");
    if (seq == null || !seq.canConvertToLong() || session == null || !session.isTextual()) return true;
    long value = seq.asLong();
    Long last = highest.get(session.asText());
    if (last != null && value <= last) return false;
    highest.put(session.asText(), value);
    return true;
  }
}
