package floorcast.session;

import floorcast.session.SessionState.Live;
import java.util.HashMap;
import java.util.Map;

/**
 * An actor-local index over one client-keyed map of the live state ({@link ListenerTally}: listeners,
 * {@link TempoTally}: tempo votes), so that a figure the entity reads often is not a scan of every entry.
 *
 * <p>It describes exactly one map instance. The entity's event handler {@link #advance advances} it over each event
 * by the dancer actions that changed the map; whenever it cannot tell what changed (a state it did not follow,
 * entries pruned by the state, a map replaced by another event such as a track change, a deserialised state) it
 * forgets the map, and the next read ({@link #follow}) rebuilds it with one scan, so a stale index is never used.
 *
 * @param <V> the map's values
 */
abstract class MapTally<V> {
  private Map<String, V> forMap;
  private long rebuilds;

  /** The map of the state this tally indexes. */
  abstract Map<String, V> mapOf(Live live);

  /** The client's value after {@code action}, null when it removes the client's entry; not called for others. */
  abstract V valueAfter(SessionEvent.DancerAction action);

  /** Whether {@code action} sets or removes an entry of this map. */
  abstract boolean changes(SessionEvent.DancerAction action);

  /** Indexes one entry. */
  abstract void add(V value);

  /** Stops indexing one entry, as it was added. */
  abstract void remove(V value);

  /** Forgets every entry. */
  abstract void clear();

  /** The map of {@code live}, with this index describing it (after one scan if it did not). */
  final Map<String, V> follow(Live live) {
    Map<String, V> map = mapOf(live);
    if (map != forMap) rebuild(map);
    return map;
  }

  /** One scan of {@code live}'s map, whether or not the index described it. */
  final void rebuild(Live live) {
    rebuild(mapOf(live));
  }

  /** Follows one applied event: {@code before --event--> after}. */
  final void advance(SessionState before, SessionEvent event, SessionState after) {
    if (forMap == null) return;
    if (!(before instanceof Live b) || mapOf(b) != forMap || !(after instanceof Live a)) {
      forget();
      return;
    }
    Map<String, V> next = mapOf(a);
    if (next == forMap) return;
    if (!(event instanceof SessionEvent.DancerActionsRecorded recorded)) {
      forget();
      return;
    }
    Map<String, V> changed = new HashMap<>();
    int sizeChange = 0;
    for (SessionEvent.DancerAction action : recorded.actions()) {
      if (!changes(action)) continue;
      V value = valueAfter(action);
      String id = action.clientId();
      V old = changed.containsKey(id) ? changed.get(id) : forMap.get(id);
      if (old != null) {
        remove(old);
        sizeChange--;
      }
      if (value != null) {
        add(value);
        sizeChange++;
      }
      changed.put(id, value);
    }
    // the only other change the state makes to the map is pruning entries: then the sizes differ, rebuild later
    if (next.size() != forMap.size() + sizeChange) {
      forget();
      return;
    }
    forMap = next;
  }

  /** How often a read had to scan the whole map (tests: the incremental path is the one taken). */
  final long rebuilds() {
    return rebuilds;
  }

  private void rebuild(Map<String, V> map) {
    rebuilds++;
    forget();
    for (V v : map.values()) add(v);
    forMap = map;
  }

  private void forget() {
    forMap = null;
    clear();
  }
}
