package floorcast.dj;

import com.fasterxml.jackson.databind.JsonNode;
import floorcast.session.TrackKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the dance floor tells the DJ, printed as it arrives and kept for {@code status}: listeners, likes per track
 * (summing {@code LIKE_RECEIVED.count}), tempo feedback, poll tallies, reactions, DJ status. Loop thread only.
 */
public final class LiveFeedback {
  private final DjOutput out;
  private final String sessionId;
  private int listeners;
  private String nowPlaying;
  private final Map<String, Integer> likesByTrack = new LinkedHashMap<>();
  private final Map<String, String> trackLabels = new LinkedHashMap<>();
  private int thanks;
  private String tempo;
  private Long activePollId;
  private String pollQuestion;
  private List<String> pollOptions = List.of();
  private String announcement;

  public LiveFeedback(DjOutput out, String sessionId) {
    this.out = out;
    this.sessionId = sessionId;
  }

  /** Applies one server message (already past the seq rule). */
  public void apply(JsonNode m) {
    String type = m.path("type").asText();
    if (m.has("sessionId") && !sessionId.equals(m.path("sessionId").asText()) && !"SESSIONS_LIST".equals(type)) return;
    switch (type) {
      case "SESSION_REGISTERED" -> out.info(
          (m.path("resumed").asBoolean(false) ? "Resumed" : "Registered")
              + " as \"" + m.path("djName").asText() + "\""
              + (m.path("authenticated").asBoolean(false) ? " (signed in)" : " (anonymous)"));
      case "LISTENER_COUNT" -> {
        int n = m.path("count").asInt();
        if (n != listeners) out.info("Listeners: " + n);
        listeners = n;
      }
      case "NOW_PLAYING" -> {
        nowPlaying = label(m.path("track"));
        out.info("Now playing for the floor: " + nowPlaying);
      }
      case "TRACK_STOPPED" -> {
        nowPlaying = null;
        out.info("Track stopped");
      }
      case "METADATA_UPDATED" -> nowPlaying = label(m.path("track"));
      case "TEMPO_RESET" -> tempo = null;
      case "TEMPO_FEEDBACK" -> {
        tempo = "faster " + m.path("faster").asInt() + " · perfect " + m.path("perfect").asInt()
            + " · slower " + m.path("slower").asInt() + " (" + m.path("total").asInt() + " votes)";
        out.info("Tempo: " + tempo);
      }
      case "LIKE_RECEIVED" -> {
        JsonNode track = m.path("payload").path("track");
        String key = TrackKey.of(track.path("artist").asText(), track.path("title").asText());
        int count = Math.max(1, m.path("count").asInt(1));
        int total = likesByTrack.merge(key, count, Integer::sum);
        trackLabels.put(key, label(track));
        out.info("♥ +" + count + "  " + label(track) + "  (" + total + " this set)");
      }
      case "REACTION_RECEIVED" -> {
        int count = Math.max(1, m.path("count").asInt(1));
        thanks += count;
        out.info("🙏 thank you ×" + count + " (" + thanks + " this set)");
      }
      case "POLL_STARTED" -> {
        activePollId = m.path("pollId").asLong();
        pollQuestion = m.path("question").asText();
        pollOptions = new ArrayList<>();
        m.path("options").forEach(o -> pollOptions.add(o.asText()));
        out.info("Poll #" + activePollId + " started: " + pollQuestion + " " + pollOptions
            + (m.has("endsAt") ? " until " + m.path("endsAt").asText() : ""));
        if (m.has("votes")) out.info("  " + tally(m.path("votes"), m.path("totalVotes").asInt()));
      }
      case "POLL_UPDATE" -> out.info("Poll #" + m.path("pollId").asLong() + ": " + tally(m.path("votes"), m.path("totalVotes").asInt()));
      case "POLL_ENDED" -> {
        int winner = m.path("winnerIndex").asInt(-1);
        String w = winner >= 0 && winner < pollOptions.size() ? pollOptions.get(winner) : winner >= 0 ? "option " + (winner + 1) : "no votes";
        out.info("Poll #" + m.path("pollId").asLong() + " ended: " + tally(m.path("results"), m.path("totalVotes").asInt()) + " → winner: " + w);
        if (activePollId != null && activePollId == m.path("pollId").asLong()) activePollId = null;
      }
      case "ANNOUNCEMENT_RECEIVED" -> {
        announcement = m.path("message").asText();
        out.info("Announcement on air: " + announcement + (m.has("endsAt") ? " (until " + m.path("endsAt").asText() + ")" : ""));
      }
      case "ANNOUNCEMENT_CANCELLED" -> {
        announcement = null;
        out.info("Announcement ended");
      }
      case "DJ_STATUS" -> {
        if (!m.path("connected").asBoolean(true)) out.warn("The server shows this set as 'DJ away'");
      }
      case "SESSION_EXPIRED" -> out.warn("Session expired: " + m.path("reason").asText());
      case "SESSION_ENDED" -> out.info("Session ended on the server");
      default -> {
        // SESSION_STARTED, SESSIONS_LIST, PONG, SESSION_VALID: nothing to show
      }
    }
  }

  private String tally(JsonNode votes, int total) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < votes.size(); i++) {
      if (i > 0) s.append(" | ");
      s.append(i < pollOptions.size() ? pollOptions.get(i) : "option " + (i + 1)).append(' ').append(votes.get(i).asInt());
    }
    return s.append("  (").append(total).append(" votes)").toString();
  }

  private static String label(JsonNode track) {
    String s = track.path("artist").asText("?") + " – " + track.path("title").asText("?");
    if (track.has("bpm")) s += " (" + track.path("bpm").asText() + " BPM)";
    return s;
  }

  /** The server id of the running poll, if one is known. */
  public Long activePollId() {
    return activePollId;
  }

  public List<String> statusLines() {
    List<String> lines = new ArrayList<>();
    lines.add("Now playing: " + (nowPlaying == null ? "—" : nowPlaying));
    lines.add("Listeners: " + listeners + "   thank-yous: " + thanks);
    if (tempo != null) lines.add("Tempo: " + tempo);
    if (activePollId != null) lines.add("Poll #" + activePollId + ": " + pollQuestion + " " + pollOptions);
    if (announcement != null) lines.add("Announcement: " + announcement);
    if (likesByTrack.isEmpty()) lines.add("Likes: none yet");
    likesByTrack.forEach((k, n) -> lines.add("  ♥ " + n + "  " + trackLabels.get(k)));
    return lines;
  }
}
