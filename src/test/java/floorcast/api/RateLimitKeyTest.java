package floorcast.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateLimitKeyTest {
  @Test
  void ipv4IsCountedPerAddress() {
    assertEquals("203.0.113.7", RateLimitKey.of("203.0.113.7"));
    assertEquals("203.0.113.7", RateLimitKey.of("::ffff:203.0.113.7"), "IPv4-mapped");
  }

  @Test
  void ipv6IsCountedPerSlash64() {
    assertEquals("2001:db8:1:2::/64", RateLimitKey.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    assertEquals("2001:db8:1:2::/64", RateLimitKey.of("2001:0db8:0001:0002::1"));
    assertEquals("2001:db8:1:2::/64", RateLimitKey.of("[2001:db8:1:2::99]"));
    assertEquals("0:0:0:0::/64", RateLimitKey.of("0:0:0:0:0:0:0:1"));
  }

  @Test
  void nonLiteralsCountAsThemselvesWithoutLookups() {
    assertEquals("unknown", RateLimitKey.of("unknown"));
    assertEquals("example.com", RateLimitKey.of("example.com"));
    assertEquals("1.2.3", RateLimitKey.of("1.2.3"));
    assertEquals("' OR 1=1 --", RateLimitKey.of("' OR 1=1 --"));
  }
}
