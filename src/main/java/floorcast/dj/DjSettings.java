package floorcast.dj;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Configuration of the DJ command-line client (clients.md §5), from arguments and the environment.
 *
 * @param server REST base URL (default {@code http://localhost:3001})
 * @param webBase base of the join link (default: the server, which serves {@code /live/<id>} itself)
 * @param token DJ token from {@code PIKA_TOKEN} or {@code --token}; empty for an anonymous set
 * @param djName requested DJ name
 * @param historyPath VirtualDJ history file or folder, {@code auto} by default
 * @param sessionId the set's id: new, or the one given with {@code --resume}
 * @param resumed whether {@code --resume} was given
 * @param stateDir where the client id and command spools live
 * @param importHistory import tonight's earlier plays as already recorded (clients.md §6)
 * @param skipCurrent treat the track playing at start as already sent
 */
public record DjSettings(
    URI server,
    URI webBase,
    String token,
    String djName,
    String historyPath,
    String sessionId,
    boolean resumed,
    Path stateDir,
    boolean importHistory,
    boolean skipCurrent) {

  public static final String USAGE =
      String.join(
          "\n",
          "usage: floorcast dj [options]",
          "  --server URL        Floorcast server (default http://localhost:3001; WebSocket URL derived: ws(s)://…/ws)",
          "  --web URL           base of the join link (default: the server)",
          "  --name NAME         DJ name (1-100 chars, no < > \" ')",
          "  --history PATH      VirtualDJ history .m3u file or folder, or 'auto' (default)",
          "  --resume ID         continue the set with this session id (default: a new pika_<ms>_<id>)",
          "  --token TOKEN       DJ token (default: environment variable PIKA_TOKEN)",
          "  --state-dir DIR     client id and command spool (default $HOME/.floorcast-dj)",
          "  --import-history    mark tonight's earlier VirtualDJ plays as already sent",
          "  --skip-current      do not send the track already playing at start",
          "Options take their value as the next argument or after '=' (--name=\"DJ Smooth\").",
          "Commands while live: type 'help'.");

  /** Thrown for unusable arguments; the message is shown with {@link #USAGE}. */
  public static final class InvalidSettings extends Exception {
    public InvalidSettings(String message) {
      super(message);
    }
  }

  public static DjSettings parse(String[] args, Map<String, String> env, long nowMillis) throws InvalidSettings {
    String server = "http://localhost:3001";
    String web = null;
    String token = env.getOrDefault("PIKA_TOKEN", "");
    String name = "DJ";
    String history = "auto";
    String resume = null;
    // the same home as the history file's (clients.md §6): HOME, else USERPROFILE, else the JVM's idea of it
    String home = HistoryLocator.home(env).map(Path::toString).orElse(System.getProperty("user.home", "."));
    String stateDir = Path.of(home, ".floorcast-dj").toString();
    boolean importHistory = false;
    boolean skipCurrent = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String inline = null; // --name=X is --name X
      int equals = a.indexOf('=');
      if (a.startsWith("--") && equals > 2) {
        inline = a.substring(equals + 1);
        a = a.substring(0, equals);
      }
      switch (a) {
        case "--import-history", "--skip-current" -> {
          if (inline != null) throw new InvalidSettings(a + " takes no value");
          if (a.equals("--import-history")) importHistory = true;
          else skipCurrent = true;
        }
        case "--server", "--web", "--name", "--history", "--resume", "--token", "--state-dir" -> {
          if (inline == null && i + 1 >= args.length) throw new InvalidSettings(a + " needs a value");
          String v = inline != null ? inline : args[++i];
          switch (a) {
            case "--server" -> server = v;
            case "--web" -> web = v;
            case "--name" -> name = v;
            case "--history" -> history = v;
            case "--resume" -> resume = v;
            case "--token" -> token = v;
            default -> stateDir = v;
          }
        }
        default -> throw new InvalidSettings("unknown option " + a);
      }
    }
    URI serverUri = httpUri(server, "--server");
    URI webUri = web == null ? serverUri : httpUri(web, "--web");
    name = name.strip();
    if (name.isEmpty() || name.length() > 100 || name.matches(".*[<>\"'].*")) {
      throw new InvalidSettings("DJ name must be 1-100 characters without < > \" '");
    }
    token = token == null ? "" : token.strip();
    if (!token.isEmpty() && (token.length() < 10 || token.length() > 2000)) {
      throw new InvalidSettings("token must be 10-2000 characters");
    }
    String sessionId;
    if (resume != null) {
      sessionId = resume.strip();
      if (sessionId.length() < 8 || sessionId.length() > 64) throw new InvalidSettings("session id must be 8-64 characters");
    } else {
      sessionId = WireIds.sessionId(nowMillis);
    }
    return new DjSettings(
        serverUri, webUri, token, name, history, sessionId, resume != null, Path.of(stateDir), importHistory, skipCurrent);
  }

  private static URI httpUri(String raw, String option) throws InvalidSettings {
    try {
      String s = raw.strip();
      while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
      URI u = URI.create(s);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new InvalidSettings(option + " must be an http:// or https:// URL");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new InvalidSettings(option + " is not a valid URL: " + raw);
    }
  }

  /** {@code ws(s)://<host>/…/ws} derived from the server URL. */
  public URI webSocketUri() {
    String scheme = "https".equals(server.getScheme()) ? "wss" : "ws";
    return URI.create(scheme + server.toString().substring(server.getScheme().length()) + "/ws");
  }

  /** The join link printed at start (clients.md §5). */
  public String joinLink() {
    return webBase + "/live/" + sessionId;
  }
}
