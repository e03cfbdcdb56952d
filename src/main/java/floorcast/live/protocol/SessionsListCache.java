package floorcast.live.protocol;

import floorcast.live.LiveSessions;
import floorcast.live.codec.OutboundCodec;
import floorcast.session.SessionSummary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lobby's {@code SESSIONS_LIST} (protocol.md §4.2), rendered once per change of the directory instead of once
 * per {@code GET_SESSIONS}: with 1,000 live sessions every reply lists 500 of them, and dancers ask on every join
 * and every reconnect (a profile of 18,000 dancers joining 1,000 sessions had 41 % of the node's CPU rendering
 * these lists). The cached reply is always that of the directory's current {@link LiveSessions#version()}: never
 * staler than the directory itself. When a version changes, only the entries whose summary changed are rendered
 * again (identity of the immutable summary); the rest are reused. Thread-safe without locks: two connections that
 * miss at the same time both render, and either result is correct for its version. One per node.
 */
public final class SessionsListCache {
  /** §4.2 / §16: at most this many entries, oldest {@code startedAt} first. */
  static final int MAX_ENTRIES = 500;

  private record Rendered(long version, String json) {}

  private record Entry(SessionSummary summary, String json) {}

  private volatile Rendered last = new Rendered(LiveSessions.UNVERSIONED, null);
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /** The {@code SESSIONS_LIST} JSON for the directory as it is now. */
  public String render(LiveSessions sessions, OutboundCodec outbound) {
    long version = sessions.version(); // before the list: a change after this read makes the next call render
    Rendered cached = last;
    if (version != LiveSessions.UNVERSIONED && cached.version() == version) return cached.json();
    List<SessionSummary> live = new ArrayList<>();
    for (SessionSummary s : sessions.liveSessions()) if (s.live()) live.add(s);
    live.sort(SessionSummary.OLDEST_FIRST); // the node's directory lists them so already: a pass over a sorted list
    List<String> listed = new ArrayList<>(Math.min(MAX_ENTRIES, live.size()));
    for (SessionSummary s : live.subList(0, Math.min(MAX_ENTRIES, live.size()))) listed.add(entry(s, outbound));
    String json = outbound.sessionsListOf(listed);
    if (version != LiveSessions.UNVERSIONED) last = new Rendered(version, json);
    if (entries.size() > 2 * MAX_ENTRIES + listed.size()) forgetUnlisted(sessions);
    return json;
  }

  private String entry(SessionSummary s, OutboundCodec outbound) {
    Entry known = entries.get(s.sessionId());
    if (known != null && known.summary() == s) return known.json();
    String json = outbound.sessionEntry(s);
    entries.put(s.sessionId(), new Entry(s, json));
    return json;
  }

  /** Ended sessions' entries go once they outnumber the listed ones (cheap: at most once per many session ends). */
  private void forgetUnlisted(LiveSessions sessions) {
    Set<String> current = new HashSet<>();
    for (SessionSummary s : sessions.liveSessions()) current.add(s.sessionId());
    entries.keySet().retainAll(current);
  }
}
