package floorcast.readside;

import floorcast.session.SessionEvent;
import floorcast.session.SessionEvent.DancerAction;
import floorcast.session.TrackInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sample instances of every journal event type and every dancer action, all about one session, one track and one
 * poll, plus the read-side history ({@link #context}) under which every conditional write of
 * {@link SessionEventRows} finds its row (a like needs a play of its key, a vote its poll, an unlike a like…).
 * A new event or action type needs a sample here; the tests that use this check that none is missing.
 */
final class SessionEventSamples {
  static final String SESSION = "pika_1763928000000_samples1";
  static final String CLIENT = "client-samples-1";
  static final long POLL = 4242;
  static final Instant AT = Instant.parse("2026-11-23T20:00:00Z");
  static final TrackInfo TRACK = TrackInfo.of("Title", "Artist");
  static final String KEY = TRACK.trackKey();

  private SessionEventSamples() {}

  /** One sample of every {@link DancerAction} type, by type. */
  static Map<Class<?>, DancerAction> actions() {
    Map<Class<?>, DancerAction> m = new LinkedHashMap<>();
    put(m, new SessionEvent.LikeAdded(CLIENT, KEY, AT.plusSeconds(10)));
    put(m, new SessionEvent.LikeRemoved(CLIENT, KEY, AT.plusSeconds(10)));
    put(m, new SessionEvent.TempoVoteSet(CLIENT, "faster", AT.plusSeconds(10)));
    put(m, new SessionEvent.TempoVoteCleared(CLIENT, AT.plusSeconds(10)));
    put(m, new SessionEvent.PollVoteCast(POLL, "client-samples-2", 1, AT.plusSeconds(10)));
    put(m, new SessionEvent.ListenerJoined(CLIENT, AT.plusSeconds(10)));
    put(m, new SessionEvent.ListenerLeft(CLIENT, AT.plusSeconds(10)));
    return m;
  }

  /**
   * Samples of every {@link SessionEvent} type, by type; several where the type's fields decide whether rows are
   * written (a reconnect or a first attach, a new play or a repeat, a batch of each dancer action).
   */
  static Map<Class<?>, List<SessionEvent>> events() {
    Instant at = AT.plusSeconds(20);
    TrackInfo measured = new TrackInfo("Title", "Artist", 120.0, "8A", 0.5, null, null, null, null);
    Map<Class<?>, List<SessionEvent>> m = new LinkedHashMap<>();
    add(m, new SessionEvent.SessionCreated(SESSION, "DJ Sample", null, "dj-client", true, AT, "0.3.0", "conn-1"));
    add(m, new SessionEvent.DjAttached(at, true, null, "conn-1"));
    add(m, new SessionEvent.DjAttached(at, true, 1200L, "conn-2"));
    add(m, new SessionEvent.DjDetached(at, "disconnect"));
    add(m, new SessionEvent.TrackPlayed(TrackInfo.of("Other", "Artist"), TrackInfo.of("Other", "Artist").trackKey(), true, at, "m1"));
    add(m, new SessionEvent.TrackPlayed(TRACK, KEY, false, at, "m2"));
    add(m, new SessionEvent.TrackRepeated(TRACK.mergedWith(measured), at, "m3"));
    add(m, new SessionEvent.MetadataMerged(measured, TRACK.mergedWith(measured), KEY, at, "m4"));
    add(m, new SessionEvent.TrackStopped(at, "m5"));
    add(m, new SessionEvent.TempoTallied("Artist", "Title", KEY, 3, 1, 2, at));
    add(m, new SessionEvent.PollStarted(POLL + 1, "Next?", List.of("Blues", "Funk"), at.plusSeconds(60), "Artist", "Title", at, "m6"));
    add(m, new SessionEvent.PollEnded(POLL, "ended", at, "m7"));
    add(m, new SessionEvent.AnnouncementSet("Last dance", at, at.plusSeconds(60), "m8"));
    add(m, new SessionEvent.AnnouncementCleared("cancelled", at, "m9"));
    add(m, new SessionEvent.SeqReserved(100));
    add(m, new SessionEvent.SessionEnded("dj_ended", at, "m10"));
    add(m, new SessionEvent.DancerActionsRecorded(List.of(), List.of()));
    for (DancerAction a : actions().values()) {
      add(m, new SessionEvent.DancerActionsRecorded(List.of(a), List.of("d-" + a.getClass().getSimpleName())));
    }
    return m;
  }

  /**
   * The read side as it stands before {@code sample} (applied first, on the same transaction): the session, a play
   * of {@link #KEY}, poll {@link #POLL} and {@link #CLIENT}'s like. Nothing before a session's creation.
   */
  static List<SessionEvent> context(SessionEvent sample) {
    if (sample instanceof SessionEvent.SessionCreated) return List.of();
    List<SessionEvent> before = new ArrayList<>();
    before.add(new SessionEvent.SessionCreated(SESSION, "DJ Sample", null, "dj-client", true, AT, "0.3.0", "conn-1"));
    before.add(new SessionEvent.TrackPlayed(TRACK, KEY, true, AT.plusSeconds(1), "c1"));
    before.add(
        new SessionEvent.PollStarted(POLL, "Slower?", List.of("Yes", "No"), AT.plusSeconds(60), "Artist", "Title", AT.plusSeconds(2), "c2"));
    before.add(
        new SessionEvent.DancerActionsRecorded(List.of(new SessionEvent.LikeAdded(CLIENT, KEY, AT.plusSeconds(3))), List.of()));
    return before;
  }

  private static void put(Map<Class<?>, DancerAction> m, DancerAction a) {
    m.put(a.getClass(), a);
  }

  private static void add(Map<Class<?>, List<SessionEvent>> m, SessionEvent e) {
    m.computeIfAbsent(e.getClass(), k -> new ArrayList<>()).add(e);
  }
}
