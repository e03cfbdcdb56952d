package floorcast.account;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Validates a raw DJ token (REST Bearer or REGISTER_SESSION.token): SHA-256 → {@code dj_tokens} → user, updating
 * {@code last_used}. Never caches, so a regenerated token is refused on every node at once.
 */
public interface TokenAuthenticator {
  CompletionStage<Optional<DjAccount>> validate(String rawToken);
}
