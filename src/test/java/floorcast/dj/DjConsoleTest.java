package floorcast.dj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

class DjConsoleTest {
  @Test
  void pollWithOptionsAndDuration() {
    assertEquals(
        new ConsoleCommand.StartPoll("Next style?", List.of("Blues", "Lyrical", "Funky"), 120),
        DjConsole.parse("poll Next style? | Blues | Lyrical |Funky --duration 120"));
    assertEquals(
        new ConsoleCommand.StartPoll("Faster?", List.of("yes", "no"), null), DjConsole.parse("  POLL Faster?|yes|no  "));
  }

  @Test
  void pollLimitsAreCheckedLocally() {
    assertEquals(new ConsoleCommand.Invalid("Poll must have 2-10 options"), DjConsole.parse("poll Q | only one"));
    assertEquals(new ConsoleCommand.Invalid("Poll options must be 1-100 characters"), DjConsole.parse("poll Q | a | | b"));
    assertEquals(
        new ConsoleCommand.Invalid("poll duration must be 30-300 seconds"), DjConsole.parse("poll Q | a | b --duration 20"));
    assertInstanceOf(ConsoleCommand.Invalid.class, DjConsole.parse("poll | a | b"));
    assertInstanceOf(ConsoleCommand.Invalid.class, DjConsole.parse("poll Q | a | b --duration soon"));
    assertInstanceOf(
        ConsoleCommand.Invalid.class, DjConsole.parse("poll Q | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11"));
  }

  @Test
  void announcementWithAndWithoutDuration() {
    assertEquals(new ConsoleCommand.Announce("Last dance in 10 minutes!", 300), DjConsole.parse("announce Last dance in 10 minutes! --duration=300"));
    assertEquals(new ConsoleCommand.Announce("Water at the bar", null), DjConsole.parse("announce Water at the bar"));
    assertInstanceOf(ConsoleCommand.Invalid.class, DjConsole.parse("announce"));
    assertInstanceOf(ConsoleCommand.Invalid.class, DjConsole.parse("announce x".repeat(1) + "y".repeat(200)));
    assertEquals(
        new ConsoleCommand.Invalid("announcement duration must be 60-3600 seconds"),
        DjConsole.parse("announce hi --duration 30"));
  }

  @Test
  void simpleCommands() {
    assertEquals(new ConsoleCommand.EndPoll(), DjConsole.parse("endpoll"));
    assertEquals(new ConsoleCommand.CancelPoll(), DjConsole.parse("cancelpoll"));
    assertEquals(new ConsoleCommand.CancelAnnouncement(), DjConsole.parse("cancelannounce"));
    assertEquals(new ConsoleCommand.StopTrack(), DjConsole.parse("stop"));
    assertEquals(new ConsoleCommand.EndSet(), DjConsole.parse("end"));
    assertEquals(new ConsoleCommand.Status(), DjConsole.parse("status"));
    assertEquals(new ConsoleCommand.Help(), DjConsole.parse("help"));
    assertEquals(new ConsoleCommand.ForceSync(), DjConsole.parse("sync"));
    assertEquals(new ConsoleCommand.Leave(), DjConsole.parse("quit"));
    assertEquals(new ConsoleCommand.Nothing(), DjConsole.parse("   "));
    assertEquals(new ConsoleCommand.Invalid("unknown command 'dance' (type help)"), DjConsole.parse("dance now"));
    assertInstanceOf(ConsoleCommand.Invalid.class, DjConsole.parse("endpoll 12"));
  }
}
