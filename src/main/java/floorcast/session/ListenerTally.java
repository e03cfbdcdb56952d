package floorcast.session;

import floorcast.session.SessionState.ListenerEntry;
import floorcast.session.SessionState.Live;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The listener count of protocol.md §8 (connected listeners plus those that left less than the sticky time ago),
 * kept up to date with the session's listener map instead of scanning every entry per count: with 10,000 dancers
 * joining one session, a scan per batch of SUBSCRIBEs was the session actor's largest single cost. Connected
 * entries are counted, disconnected ones kept by their leave instant, so a count is O(log n + k) for the k
 * distinct leave instants within the sticky time. Follows the state as every {@link MapTally} does.
 */
final class ListenerTally extends MapTally<ListenerEntry> {
  private int connected;
  /** lastSeen of every disconnected entry, with the number of entries at that instant. */
  private final TreeMap<Instant, Integer> leftAt = new TreeMap<>();

  /** Listeners of {@code live} counted at {@code now}: connected, or left at or after {@code now - sticky}. */
  int count(Live live, Instant now, Duration sticky) {
    follow(live);
    int n = connected;
    for (int k : leftAt.tailMap(now.minus(sticky), true).values()) n += k;
    return n;
  }

  @Override
  Map<String, ListenerEntry> mapOf(Live live) {
    return live.listeners();
  }

  @Override
  boolean changes(SessionEvent.DancerAction action) {
    return action instanceof SessionEvent.ListenerJoined || action instanceof SessionEvent.ListenerLeft;
  }

  @Override
  ListenerEntry valueAfter(SessionEvent.DancerAction action) {
    return new ListenerEntry(action instanceof SessionEvent.ListenerJoined, action.at());
  }

  @Override
  void add(ListenerEntry e) {
    if (e.connected()) connected++;
    else leftAt.merge(e.lastSeen(), 1, Integer::sum);
  }

  @Override
  void remove(ListenerEntry e) {
    if (e.connected()) connected--;
    else leftAt.computeIfPresent(e.lastSeen(), (at, k) -> k == 1 ? null : k - 1);
  }

  @Override
  void clear() {
    connected = 0;
    leftAt.clear();
  }
}
