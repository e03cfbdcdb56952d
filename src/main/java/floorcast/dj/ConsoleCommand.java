package floorcast.dj;

import java.util.List;

/** One command typed by the DJ on standard input (see {@link DjConsole#HELP}). */
public sealed interface ConsoleCommand {
  /** {@code poll <question> | <opt1> | <opt2> … [--duration N]}. */
  record StartPoll(String question, List<String> options, Integer durationSeconds) implements ConsoleCommand {}

  record EndPoll() implements ConsoleCommand {}

  record CancelPoll() implements ConsoleCommand {}

  /** {@code announce <text> [--duration N]}. */
  record Announce(String text, Integer durationSeconds) implements ConsoleCommand {}

  record CancelAnnouncement() implements ConsoleCommand {}

  /** {@code stop}: clear now playing. */
  record StopTrack() implements ConsoleCommand {}

  /** {@code sync}: re-send the current track ("force sync"). */
  record ForceSync() implements ConsoleCommand {}

  /** {@code end} (also end of input, Ctrl-C). */
  record EndSet() implements ConsoleCommand {}

  record Status() implements ConsoleCommand {}

  record Help() implements ConsoleCommand {}

  /** {@code quit}: leave without ending the set (resume later with --resume). */
  record Leave() implements ConsoleCommand {}

  /** Not a usable command: the reason is shown to the DJ. */
  record Invalid(String reason) implements ConsoleCommand {}

  /** Blank line. */
  record Nothing() implements ConsoleCommand {}
}
