package floorcast.api;

import java.net.InetAddress;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;

/**
 * The client IP of a request (rest.md §1.3) through {@link ClientIpResolver}. The TCP peer comes from the
 * remote-address attribute, which needs {@code pekko.http.server.remote-address-attribute = on} (http.conf).
 */
public final class RequestClientIp {
  /** Keys of per-IP limits stay short even when a trusted proxy forwards garbage. */
  static final int MAX_KEY_CHARS = 64;

  private RequestClientIp() {}

  public static String of(HttpRequest request, ClientIpResolver resolver) {
    InetAddress peer =
        request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress).orElse(null);
    String cf = request.getHeader("CF-Connecting-IP").map(HttpHeader::value).orElse(null);
    String xff = request.getHeader("X-Forwarded-For").map(HttpHeader::value).orElse(null);
    String ip = resolver.resolve(peer, cf, xff);
    return ip.length() <= MAX_KEY_CHARS ? ip : ip.substring(0, MAX_KEY_CHARS);
  }
}
