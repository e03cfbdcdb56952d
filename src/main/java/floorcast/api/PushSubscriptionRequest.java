package floorcast.api;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.readside.PushSubscriptions.Subscription;
import java.util.Optional;

/** Body of {@code POST /api/push/subscribe} (rest.md §4.9); empty when invalid or malformed. */
public final class PushSubscriptionRequest {
  private PushSubscriptionRequest() {}

  public static Optional<Subscription> parse(String body) {
    JsonNode root = RequestBodies.jsonObject(body).orElse(null);
    if (root == null) return Optional.empty();
    JsonNode keys = root.get("keys");
    if (keys == null || !keys.isObject()) return Optional.empty();
    JsonNode clientId = root.get("clientId");
    if (clientId != null && !clientId.isNull() && !clientId.isTextual()) return Optional.empty();
    Subscription s =
        new Subscription(
            text(root.get("endpoint")),
            text(keys.get("p256dh")),
            text(keys.get("auth")),
            clientId == null || clientId.isNull() ? null : clientId.textValue());
    return s.valid() ? Optional.of(s) : Optional.empty();
  }

  private static String text(JsonNode n) {
    return n != null && n.isTextual() ? n.textValue() : null;
  }
}
