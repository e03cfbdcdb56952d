package floorcast.api;

import static floorcast.api.RestJson.array;
import static floorcast.api.RestJson.integer;
import static floorcast.api.RestJson.number;
import static floorcast.api.RestJson.object;
import static floorcast.api.RestJson.text;
import static floorcast.api.RestJson.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import floorcast.readside.DjProfiles;
import floorcast.readside.GlobalStats;
import floorcast.readside.LikeJournal;
import floorcast.readside.RecentSessions;
import floorcast.readside.SessionHistory;
import floorcast.readside.SessionRecaps;
import floorcast.session.SessionSummary;
import floorcast.session.TrackInfo;
import java.util.List;

/** Read-side records → the exact REST shapes of rest.md §4 (Pika! 0.3.0, explicit nulls as shown there). */
public final class ReadSideJson {
  private ReadSideJson() {}

  /** {@code GET {S}}: absent values omitted (rest.md §4.2). */
  public static JsonNode liveList(List<SessionSummary> sessions) {
    ArrayNode out = array();
    for (SessionSummary s : sessions) {
      ObjectNode o = out.addObject();
      o.put("sessionId", s.sessionId());
      if (s.djName() != null) o.set("djName", text(s.djName()));
      if (s.startedAt() != null) o.set("startedAt", time(s.startedAt()));
      if (s.lastActivityAt() != null) o.set("lastActivityAt", time(s.lastActivityAt()));
      if (s.currentTrack() != null) o.set("currentTrack", fullTrack(s.currentTrack()));
      SessionSummary.Announcement a = s.announcement();
      if (a != null) {
        ObjectNode ann = o.putObject("activeAnnouncement");
        ann.put("message", a.message());
        if (a.timestamp() != null) ann.set("timestamp", time(a.timestamp()));
        if (a.endsAt() != null) ann.set("endsAt", time(a.endsAt()));
      }
    }
    return out;
  }

  /** {@code GET {S}/active}: momentum = min(1, listeners × 0.05) in double arithmetic. */
  public static JsonNode active(List<SessionSummary> sessions) {
    ObjectNode out = object();
    if (sessions.isEmpty()) {
      out.put("live", false);
      out.set("sessions", array());
      return out;
    }
    out.put("live", true);
    out.put("count", sessions.size());
    ArrayNode list = out.putArray("sessions");
    for (SessionSummary s : sessions) {
      ObjectNode o = list.addObject();
      o.put("sessionId", s.sessionId());
      o.set("djName", text(s.djName()));
      o.set("startedAt", time(s.startedAt()));
      TrackInfo t = s.currentTrack();
      if (t == null) {
        o.putNull("currentTrack");
      } else {
        ObjectNode track = o.putObject("currentTrack");
        track.set("title", text(t.title()));
        track.set("artist", text(t.artist()));
        if (t.bpm() != null) track.set("bpm", number(t.bpm()));
      }
      o.put("listenerCount", s.listenerCount());
      o.set("momentum", number(Math.min(1.0, s.listenerCount() * 0.05)));
    }
    return out;
  }

  /** {@code /debug/sessions} (rest.md §4.1). */
  public static JsonNode debug(List<SessionSummary> sessions, java.time.Instant now) {
    ObjectNode out = object();
    out.set("timestamp", time(now));
    out.put("sessionCount", sessions.size());
    ArrayNode ids = out.putArray("sessionIds");
    ArrayNode list = out.putArray("sessions");
    ObjectNode counts = object();
    for (SessionSummary s : sessions) {
      ids.add(s.sessionId());
      ObjectNode o = list.addObject();
      o.put("sessionId", s.sessionId());
      o.set("djName", text(s.djName()));
      o.set("startedAt", time(s.startedAt()));
      TrackInfo t = s.currentTrack();
      o.put("hasCurrentTrack", t != null);
      o.set("currentTrack", t == null ? text(null) : text(t.artist() + " - " + t.title()));
      o.put("hasAnnouncement", s.announcement() != null);
      counts.put(s.sessionId(), s.listenerCount());
    }
    out.set("cachedListenerCounts", counts);
    return out;
  }

  private static ObjectNode fullTrack(TrackInfo t) {
    ObjectNode o = object();
    if (t.title() != null) o.put("title", t.title());
    if (t.artist() != null) o.put("artist", t.artist());
    if (t.bpm() != null) o.set("bpm", number(t.bpm()));
    if (t.key() != null) o.put("key", t.key());
    if (t.energy() != null) o.set("energy", number(t.energy()));
    if (t.danceability() != null) o.set("danceability", number(t.danceability()));
    if (t.brightness() != null) o.set("brightness", number(t.brightness()));
    if (t.acousticness() != null) o.set("acousticness", number(t.acousticness()));
    if (t.groove() != null) o.set("groove", number(t.groove()));
    return o;
  }

  public static JsonNode recent(List<RecentSessions.EndedSession> sessions) {
    ArrayNode out = array();
    for (RecentSessions.EndedSession s : sessions) {
      ObjectNode o = out.addObject();
      o.put("id", s.id());
      o.set("djName", text(s.djName()));
      o.set("startedAt", time(s.startedAt()));
      o.set("endedAt", time(s.endedAt()));
    }
    return out;
  }

  public static JsonNode history(List<SessionHistory.Play> plays) {
    ArrayNode out = array();
    for (SessionHistory.Play p : plays) {
      ObjectNode o = out.addObject();
      o.put("id", p.id());
      o.set("artist", text(p.artist()));
      o.set("title", text(p.title()));
      o.set("playedAt", time(p.playedAt()));
    }
    return out;
  }

  public static JsonNode recap(SessionRecaps.Recap r) {
    ObjectNode o = object();
    o.put("sessionId", r.sessionId());
    o.put("djName", r.djName());
    o.set("startedAt", time(r.startedAt()));
    o.set("endedAt", time(r.endedAt()));
    o.put("trackCount", r.tracks().size());
    o.put("totalLikes", r.totalLikes());
    ArrayNode tracks = o.putArray("tracks");
    for (SessionRecaps.Track t : r.tracks()) {
      ObjectNode j = tracks.addObject();
      j.put("position", t.position());
      j.set("artist", text(t.artist()));
      j.set("title", text(t.title()));
      j.set("bpm", integer(t.bpm()));
      j.set("key", text(t.key()));
      j.set("energy", integer(t.energy()));
      j.set("danceability", integer(t.danceability()));
      j.set("brightness", integer(t.brightness()));
      j.set("acousticness", integer(t.acousticness()));
      j.set("groove", integer(t.groove()));
      j.set("playedAt", time(t.playedAt()));
      j.put("likes", t.likes());
      if (t.tempo() == null) {
        j.putNull("tempo");
      } else {
        j.putObject("tempo").put("slower", t.tempo().slower()).put("perfect", t.tempo().perfect()).put("faster", t.tempo().faster());
      }
    }
    if (r.polls() != null) {
      ArrayNode polls = o.putArray("polls");
      for (SessionRecaps.Poll p : r.polls()) {
        ObjectNode j = polls.addObject();
        j.put("id", p.id());
        j.set("question", text(p.question()));
        ArrayNode options = j.putArray("options");
        p.options().forEach(opt -> options.add(text(opt)));
        ArrayNode votes = j.putArray("votes");
        p.votes().forEach(votes::add);
        j.put("totalVotes", p.totalVotes());
        j.put("winnerIndex", p.winnerIndex());
        j.set("winner", text(p.winner()));
        j.set("startedAt", time(p.startedAt()));
        j.set("endedAt", time(p.endedAt()));
        if (p.trackArtist() == null && p.trackTitle() == null) {
          j.putNull("currentTrack");
        } else {
          j.putObject("currentTrack").<ObjectNode>set("artist", text(p.trackArtist())).set("title", text(p.trackTitle()));
        }
      }
      o.put("totalPolls", r.polls().size());
      o.put("totalPollVotes", r.totalPollVotes());
    }
    return o;
  }

  public static JsonNode topTracks(List<GlobalStats.TopTrack> tracks) {
    ArrayNode out = array();
    for (GlobalStats.TopTrack t : tracks) {
      out.addObject().<ObjectNode>set("artist", text(t.artist())).<ObjectNode>set("title", text(t.title())).put("likeCount", t.likeCount());
    }
    return out;
  }

  public static JsonNode totals(GlobalStats.Totals t) {
    return object().put("totalSessions", t.totalSessions()).put("totalTracks", t.totalTracks()).put("totalLikes", t.totalLikes());
  }

  public static JsonNode profile(DjProfiles.Profile p) {
    ObjectNode o = object();
    o.put("slug", p.slug());
    o.put("djName", p.displayName());
    ArrayNode sessions = o.putArray("sessions");
    for (DjProfiles.ProfileSession s : p.sessions()) {
      ObjectNode j = sessions.addObject();
      j.put("id", s.id());
      j.set("djName", text(s.djName()));
      j.set("startedAt", time(s.startedAt()));
      j.set("endedAt", time(s.endedAt()));
      j.put("trackCount", s.trackCount());
    }
    o.put("totalSessions", p.sessions().size());
    o.put("totalTracks", p.totalTracks());
    return o;
  }

  public static JsonNode likes(String clientId, List<LikeJournal.Like> likes) {
    ObjectNode o = object();
    o.put("clientId", clientId);
    o.put("totalLikes", likes.size());
    ArrayNode list = o.putArray("likes");
    for (LikeJournal.Like l : likes) {
      ObjectNode j = list.addObject();
      j.put("id", l.id());
      j.put("sessionId", l.sessionId());
      j.set("artist", text(l.artist()));
      j.set("title", text(l.title()));
      j.set("likedAt", time(l.likedAt()));
      j.set("djName", text(l.djName()));
      j.set("sessionDate", time(l.sessionDate()));
    }
    return o;
  }
}
