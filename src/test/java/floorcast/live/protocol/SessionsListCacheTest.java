package floorcast.live.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import floorcast.live.LiveSessions;
import floorcast.live.codec.OutboundCodec;
import floorcast.live.transport.LiveSessionDirectory;
import floorcast.session.SessionSummary;
import floorcast.session.TrackInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** GET_SESSIONS' list (protocol.md §4.2) from the cache is always the directory's current list, rendered as before. */
class SessionsListCacheTest {
  private static final Instant T = Instant.parse("2026-03-01T20:00:00Z");
  private final OutboundCodec codec = new OutboundCodec();
  private final LiveSessionDirectory directory = new LiveSessionDirectory();
  private final SessionsListCache cache = new SessionsListCache();

  private static SessionSummary live(String id, int startedSecond, TrackInfo track, int listeners) {
    return new SessionSummary(id, true, "DJ " + id, T.plusSeconds(startedSecond), T, track, null, listeners, true, null);
  }

  private static TrackInfo track(String title) {
    return new TrackInfo(title, "Artist", 96.0, null, null, null, null, null, null);
  }

  /** What an uncached render of the directory gives: every live session, oldest first, at most 500. */
  private String expected() {
    List<SessionSummary> list = directory.liveSessions().stream().filter(SessionSummary::live).limit(500).toList();
    return codec.sessionsList(list);
  }

  @Test
  void followsEveryChangeOfTheDirectoryAndRendersOncePerVersion() {
    assertEquals("{\"type\":\"SESSIONS_LIST\",\"sessions\":[]}", cache.render(directory, codec));
    directory.apply(live("b", 20, null, 0));
    directory.apply(live("a", 10, track("One"), 3));
    String first = cache.render(directory, codec);
    assertEquals(expected(), first);
    assertSame(first, cache.render(directory, codec), "unchanged directory: the same rendered reply");

    directory.apply(live("b", 20, track("Two"), 7)); // a summary change (track, listeners)
    String second = cache.render(directory, codec);
    assertEquals(expected(), second);
    assertEquals(true, second.contains("\"Two\"") && second.contains("\"listenerCount\":7"), second);

    directory.apply(live("b", 20, track("Two"), 7)); // the same summary again: nothing to render
    assertSame(second, cache.render(directory, codec));

    directory.apply(live("c", 5, null, 0)); // a new session, now the oldest
    String third = cache.render(directory, codec);
    assertEquals(expected(), third);
    assertEquals(true, third.indexOf("\"c\"") < third.indexOf("\"a\"") && third.indexOf("\"a\"") < third.indexOf("\"b\""), third);

    directory.apply(live("b", 1, track("Two"), 7)); // a corrected startedAt reorders the list
    String reordered = cache.render(directory, codec);
    assertEquals(expected(), reordered);
    assertEquals(true, reordered.indexOf("\"b\"") < reordered.indexOf("\"c\""), reordered);

    directory.apply(new SessionSummary("a", false, "DJ a", T.plusSeconds(10), T, null, null, 0, false, T.plusSeconds(99)));
    String fourth = cache.render(directory, codec);
    assertEquals(expected(), fourth);
    assertEquals(false, fourth.contains("\"a\""), fourth);
  }

  @Test
  void listsTheOldestFiveHundredOfMoreSessions() {
    for (int i = 600; i > 0; i--) directory.apply(live(String.format("s%04d", i), i, null, i));
    String json = cache.render(directory, codec);
    assertEquals(expected(), json);
    assertEquals(500, json.split("\"sessionId\"", -1).length - 1);
    assertEquals(true, json.contains("\"s0001\"") && json.contains("\"s0500\"") && !json.contains("\"s0501\""));
    // ending listed sessions brings the next ones in, entries of ended sessions are not reused
    for (int i = 1; i <= 550; i++) {
      directory.apply(new SessionSummary(String.format("s%04d", i), false, null, null, null, null, null, 0, false, T));
      if (i % 50 == 0) assertEquals(expected(), cache.render(directory, codec));
    }
    String rest = cache.render(directory, codec);
    assertEquals(50, rest.split("\"sessionId\"", -1).length - 1);
    assertEquals(true, rest.startsWith("{\"type\":\"SESSIONS_LIST\",\"sessions\":[{\"sessionId\":\"s0551\""), rest);
  }

  @Test
  void anUnversionedDirectoryIsRenderedAfreshEveryTime() {
    List<SessionSummary> sessions = new ArrayList<>(List.of(live("x", 1, null, 0)));
    LiveSessions unversioned = LiveSessions.of(() -> sessions, sessions::size, id -> Optional.empty());
    String first = cache.render(unversioned, codec);
    assertEquals(codec.sessionsList(List.copyOf(sessions)), first);
    sessions.set(0, live("x", 1, track("Changed"), 4));
    String second = cache.render(unversioned, codec);
    assertNotSame(first, second);
    assertEquals(codec.sessionsList(List.copyOf(sessions)), second);
  }
}
