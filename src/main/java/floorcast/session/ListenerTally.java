package floorcast.session;

import floorcast.session.SessionState.ListenerEntry;
import floorcast.session.SessionState.Live;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The listener count of protocol.md §8 (connected listeners plus those that left less than the sticky time ago),
 * kept up to date with the session's listener map instead of scanning every entry per count: with 10,000 dancers
 * joining one session, a scan per batch of SUBSCRIBEs was the session actor's largest single cost.
 *
 * <p>Actor-local and not persisted: it describes exactly one listener map instance ({@link #forMap}). The entity's
 * event handler {@link #advance advances} it over each event; whenever it cannot tell what changed (a state it did
 * not follow, pruned entries, a deserialised state) it forgets the map and the next {@link #count} rebuilds it with
 * one scan, so a stale tally is never used.
 */
final class ListenerTally {
  private Map<String, ListenerEntry> forMap;
  private int connected;
  /** lastSeen of every disconnected entry, with the number of entries at that instant. */
  private final TreeMap<Instant, Integer> leftAt = new TreeMap<>();
  private long rebuilds;

  /** Listeners of {@code live} counted at {@code now}: connected, or left at or after {@code now - sticky}. */
  int count(Live live, Instant now, Duration sticky) {
    if (live.listeners() != forMap) rebuild(live.listeners());
    int n = connected;
    for (int k : leftAt.tailMap(now.minus(sticky), true).values()) n += k;
    return n;
  }

  /** Follows one applied event: {@code before --event--> after}. */
  void advance(SessionState before, SessionEvent event, SessionState after) {
    if (forMap == null) return;
    if (!(before instanceof Live b) || b.listeners() != forMap || !(after instanceof Live a)) {
      forget();
      return;
    }
    Map<String, ListenerEntry> next = a.listeners();
    if (next == forMap) return;
    if (!(event instanceof SessionEvent.DancerActionsRecorded recorded)) {
      forget();
      return;
    }
    Map<String, ListenerEntry> changed = new HashMap<>();
    int added = 0;
    for (SessionEvent.DancerAction action : recorded.actions()) {
      ListenerEntry entry;
      if (action instanceof SessionEvent.ListenerJoined j) entry = new ListenerEntry(true, j.at());
      else if (action instanceof SessionEvent.ListenerLeft l) entry = new ListenerEntry(false, l.at());
      else continue;
      String id = action.clientId();
      ListenerEntry old = changed.containsKey(id) ? changed.get(id) : forMap.get(id);
      if (old == null) added++;
      else remove(old);
      add(entry);
      changed.put(id, entry);
    }
    // the only other change the state makes to the map is pruning entries: then the sizes differ, rebuild later
    if (next.size() != forMap.size() + added) {
      forget();
      return;
    }
    forMap = next;
  }

  /** How often a count had to scan the whole map (tests: the incremental path is the one taken). */
  long rebuilds() {
    return rebuilds;
  }

  private void rebuild(Map<String, ListenerEntry> listeners) {
    rebuilds++;
    forget();
    for (ListenerEntry e : listeners.values()) add(e);
    forMap = listeners;
  }

  private void forget() {
    forMap = null;
    connected = 0;
    leftAt.clear();
  }

  private void add(ListenerEntry e) {
    if (e.connected()) connected++;
    else leftAt.merge(e.lastSeen(), 1, Integer::sum);
  }

  private void remove(ListenerEntry e) {
    if (e.connected()) connected--;
    else leftAt.computeIfPresent(e.lastSeen(), (at, k) -> k == 1 ? null : k - 1);
  }
}
