package floorcast.dj;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the DJ's standard-input commands. Limits are checked here so the DJ gets an immediate, clear answer instead
 * of a NACK (protocol.md §3.6, §3.8: question 1–500, 2–10 options of 1–100, poll 30–300 s; announcement 1–200 chars,
 * 60–3600 s).
 */
public final class DjConsole {
  public static final String HELP =
      String.join(
          "\n",
          "Commands:",
          "  poll <question> | <option 1> | <option 2> [| …] [--duration SECONDS]   start a poll (2-10 options, 30-300 s)",
          "  endpoll                       end the running poll and show the result",
          "  cancelpoll                    cancel the running poll",
          "  announce <text> [--duration SECONDS]   announcement to the floor (1-200 chars, 60-3600 s)",
          "  cancelannounce                remove the announcement",
          "  stop                          clear 'now playing'",
          "  sync                          send the current track again",
          "  status                        connection, pending commands, listeners, likes, poll",
          "  end                           end the set (also Ctrl-C or end of input)",
          "  quit                          leave without ending the set (continue later with --resume <id>)",
          "  help                          this list");

  private static final Pattern DURATION = Pattern.compile("\\s--duration(?:=|\\s+)(\\S+)\\s*$");

  private DjConsole() {}

  public static ConsoleCommand parse(String line) {
    String text = line == null ? "" : line.strip();
    if (text.isEmpty()) return new ConsoleCommand.Nothing();
    int space = text.indexOf(' ');
    String word = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    String rest = space < 0 ? "" : text.substring(space + 1).strip();
    switch (word) {
      case "poll":
        return poll(rest);
      case "announce":
        return announce(rest);
      case "endpoll":
        return rest.isEmpty() ? new ConsoleCommand.EndPoll() : new ConsoleCommand.Invalid("endpoll takes no arguments");
      case "cancelpoll":
        return rest.isEmpty() ? new ConsoleCommand.CancelPoll() : new ConsoleCommand.Invalid("cancelpoll takes no arguments");
      case "cancelannounce":
        return rest.isEmpty()
            ? new ConsoleCommand.CancelAnnouncement()
            : new ConsoleCommand.Invalid("cancelannounce takes no arguments");
      case "stop":
        return new ConsoleCommand.StopTrack();
      case "sync":
        return new ConsoleCommand.ForceSync();
      case "end":
        return new ConsoleCommand.EndSet();
      case "status":
        return new ConsoleCommand.Status();
      case "help":
      case "?":
        return new ConsoleCommand.Help();
      case "quit":
        return new ConsoleCommand.Leave();
      default:
        return new ConsoleCommand.Invalid("unknown command '" + word + "' (type help)");
    }
  }

  private static ConsoleCommand poll(String rest) {
    Split split = splitDuration(" " + rest);
    if (split.error != null) return new ConsoleCommand.Invalid(split.error);
    if (split.seconds != null && (split.seconds < 30 || split.seconds > 300)) {
      return new ConsoleCommand.Invalid("poll duration must be 30-300 seconds");
    }
    String[] parts = split.text.split("\\|", -1);
    String question = parts[0].strip();
    if (question.isEmpty() || question.length() > 500) {
      return new ConsoleCommand.Invalid("usage: poll <question> | <option 1> | <option 2> … (question 1-500 chars)");
    }
    List<String> options = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      String o = parts[i].strip();
      if (o.isEmpty() || o.length() > 100) return new ConsoleCommand.Invalid("Poll options must be 1-100 characters");
      options.add(o);
    }
    if (options.size() < 2 || options.size() > 10) return new ConsoleCommand.Invalid("Poll must have 2-10 options");
    return new ConsoleCommand.StartPoll(question, List.copyOf(options), split.seconds);
  }

  private static ConsoleCommand announce(String rest) {
    Split split = splitDuration(" " + rest);
    if (split.error != null) return new ConsoleCommand.Invalid(split.error);
    if (split.seconds != null && (split.seconds < 60 || split.seconds > 3600)) {
      return new ConsoleCommand.Invalid("announcement duration must be 60-3600 seconds");
    }
    String message = split.text.strip();
    if (message.isEmpty() || message.length() > 200) {
      return new ConsoleCommand.Invalid("usage: announce <text> (1-200 characters)");
    }
    return new ConsoleCommand.Announce(message, split.seconds);
  }

  private record Split(String text, Integer seconds, String error) {}

  private static Split splitDuration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.find()) {
      if (text.contains("--duration")) return new Split(text, null, "usage: --duration SECONDS at the end of the line");
      return new Split(text, null, null);
    }
    try {
      int seconds = Integer.parseInt(m.group(1));
      return new Split(text.substring(0, m.start()), seconds, null);
    } catch (NumberFormatException e) {
      return new Split(text, null, "--duration needs a whole number of seconds");
    }
  }
}
