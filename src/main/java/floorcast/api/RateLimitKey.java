package floorcast.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The key per-IP limits count under. IPv4: the address. IPv6: its /64 network, because one host or household
 * usually holds a whole /64 and could otherwise rotate addresses to multiply its budget. Anything that is not an
 * IP literal (only possible from a trusted proxy's header) counts as itself. Never resolves host names.
 */
public final class RateLimitKey {
  private RateLimitKey() {}

  public static String of(String clientIp) {
    Optional<InetAddress> addr = literal(clientIp);
    if (addr.isEmpty()) return clientIp;
    if (!(addr.get() instanceof Inet6Address)) return addr.get().getHostAddress();
    byte[] b = addr.get().getAddress();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
    }
    return sb.append(":/64").toString();
  }

  private static Optional<InetAddress> literal(String s) {
    String t = s.trim();
    if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
    int zone = t.indexOf('%');
    if (zone >= 0) t = t.substring(0, zone);
    if (t.isEmpty() || !t.matches("[0-9a-fA-F:.]+") || (t.indexOf(':') < 0 && !t.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(t));
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
