package floorcast.live.transport;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * A check on an upgrade request before it is accepted (e.g. an Origin allowlist, stack.md W7): empty = accept,
 * else the response to send instead. protocol.md §1.1 has no Origin check, so the default accepts everything.
 */
@FunctionalInterface
public interface UpgradeGate {
  UpgradeGate ACCEPT_ALL = (request, clientIp) -> Optional.empty();

  Optional<HttpResponse> check(HttpRequest request, String clientIp);
}
