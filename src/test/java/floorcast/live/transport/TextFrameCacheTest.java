package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextFrameCacheTest {
  private final TextFrameCache cache = new TextFrameCache();

  @Test
  void theTwoFramesOfATrackChangeAreEncodedOnceForAllConnections() {
    String tempoReset = "{\"type\":\"TEMPO_RESET\",\"sessionId\":\"s\",\"seq\":7}";
    String nowPlaying = inOtherSlot(tempoReset, "{\"type\":\"NOW_PLAYING\",\"sessionId\":\"s\",\"seq\":8}");
    ServerFrame firstReset = cache.encode(tempoReset);
    ServerFrame firstPlaying = cache.encode(nowPlaying);
    for (int connection = 0; connection < 100; connection++) {
      assertSame(firstReset, cache.encode(tempoReset));
      assertSame(firstPlaying, cache.encode(nowPlaying));
    }
  }

  @Test
  void anEqualStringThatIsAnotherInstanceIsEncodedAgainWithTheSameBytes() {
    String json = "{\"type\":\"ACK\",\"messageId\":\"m1\"}";
    String copy = new String(json.toCharArray());
    ServerFrame original = cache.encode(json);
    ServerFrame other = cache.encode(copy);
    assertNotSame(original, other);
    assertEquals(original.payload(), other.payload());
  }

  @Test
  void everyFrameCarriesItsOwnTextWhenMoreStringsThanSlotsCompete() {
    String[] jsons = new String[TextFrameCache.SLOTS * 4];
    for (int i = 0; i < jsons.length; i++) jsons[i] = "{\"type\":\"LIKE_RECEIVED\",\"count\":" + i + ",\"note\":\"é\"}";
    for (int round = 0; round < 3; round++) {
      for (String json : jsons) {
        ServerFrame frame = cache.encode(json);
        assertEquals(ServerFrame.TEXT, frame.opcode());
        assertEquals(json, frame.payload().decodeString(StandardCharsets.UTF_8));
      }
    }
  }

  /** A string equal to {@code text} whose identity hash maps to another slot than {@code other}'s. */
  private static String inOtherSlot(String other, String text) {
    int taken = System.identityHashCode(other) & (TextFrameCache.SLOTS - 1);
    while (true) {
      String candidate = new String(text.toCharArray());
      if ((System.identityHashCode(candidate) & (TextFrameCache.SLOTS - 1)) != taken) return candidate;
    }
  }
}
