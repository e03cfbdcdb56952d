package floorcast.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client IP of protocol.md §1.1 / rest.md §1.3: the TCP peer, or, only when the peer is a configured trusted
 * proxy ({@code TRUSTED_PROXIES}: addresses or CIDRs), {@code CF-Connecting-IP}, else the first element of
 * {@code X-Forwarded-For}.
 */
public final class ClientIpResolver {
  private record Cidr(byte[] network, int prefix) {
    boolean contains(byte[] addr) {
      if (addr.length != network.length) return false;
      int full = prefix / 8;
      for (int i = 0; i < full; i++) if (addr[i] != network[i]) return false;
      int rest = prefix % 8;
      if (rest == 0) return true;
      int mask = 0xff << (8 - rest);
      return (addr[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Cidr> trusted;

  public ClientIpResolver(List<String> trustedProxies) {
    List<Cidr> list = new ArrayList<>();
    for (String entry : trustedProxies) {
      String e = entry.trim();
      if (e.isEmpty()) continue;
      String[] parts = e.split("/", 2);
      byte[] addr = literal(parts[0]).orElseThrow(() -> new IllegalArgumentException("bad TRUSTED_PROXIES entry: " + e));
      int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : addr.length * 8;
      list.add(new Cidr(addr, prefix));
    }
    this.trusted = List.copyOf(list);
  }

  /** Parses "a, b/24" as written in the TRUSTED_PROXIES variable. */
  public static ClientIpResolver fromSetting(String setting) {
    return new ClientIpResolver(setting == null || setting.isBlank() ? List.of() : List.of(setting.split(",")));
  }

  public boolean isTrusted(InetAddress peer) {
    byte[] a = peer.getAddress();
    for (Cidr c : trusted) if (c.contains(a)) return true;
    return false;
  }

  /**
   * @param peer the TCP peer address
   * @param cfConnectingIp the {@code CF-Connecting-IP} header or null
   * @param xForwardedFor the {@code X-Forwarded-For} header or null
   */
  public String resolve(InetAddress peer, String cfConnectingIp, String xForwardedFor) {
    if (peer != null && isTrusted(peer)) {
      if (cfConnectingIp != null && !cfConnectingIp.isBlank()) return cfConnectingIp.trim();
      if (xForwardedFor != null && !xForwardedFor.isBlank()) {
        String first = xForwardedFor.split(",", 2)[0].trim();
        if (!first.isEmpty()) return first;
      }
    }
    return peer == null ? "unknown" : peer.getHostAddress();
  }

  /** Only numeric literals: never a DNS lookup. */
  private static Optional<byte[]> literal(String s) {
    String t = s.trim();
    if (!t.matches("[0-9a-fA-F:.]+")) return Optional.empty();
    try {
      return Optional.of(InetAddress.getByName(t).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
