package floorcast.session;

import floorcast.session.SessionState.Live;
import floorcast.session.SessionState.TempoVote;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The tempo aggregate of protocol.md §10 ({faster, slower, perfect, total} over the votes at most the vote lifetime
 * old), kept up to date with the session's vote map instead of scanning every vote per aggregate: with 1,000
 * sessions taking 10,000 votes/s, the scan behind each coalesced {@code TEMPO_FEEDBACK} was the session actor's
 * largest single cost.
 *
 * <p>It counts the map's votes by preference and remembers the oldest vote's instant: while that vote still counts,
 * every vote does and the aggregate is the counts. Only when a vote may have outlived the lifetime (a track playing
 * longer than the lifetime, before the state prunes it) does an aggregate scan the map; a track change clears the
 * votes, so at a dance that is rare.
 *
 * <p>Actor-local and not persisted, like {@link ListenerTally}: it describes exactly one vote map instance. The
 * entity's event handler {@link #advance advances} it over each event; whenever it cannot tell what changed (a state
 * it did not follow, pruned votes, votes cleared by a track change, a deserialised state) it forgets the map and the
 * next {@link #aggregate} rebuilds it with one scan, so a stale tally is never used.
 */
final class TempoTally {
  private static final int FASTER = 0;
  private static final int SLOWER = 1;
  private static final int PERFECT = 2;

  private Map<String, TempoVote> forMap;
  /** Every vote of the map by preference. */
  private final int[] counts = new int[3];
  /** No vote of the map is older; null when the map is empty. */
  private Instant oldest;
  /** Whether {@link #oldest} is a vote of the map (else only a bound: that vote was changed or cleared since). */
  private boolean oldestExact;
  private long rebuilds;
  private long scans;

  /** {faster, slower, perfect, total} of {@code live}'s votes counting at {@code now}: at or after now - lifetime. */
  int[] aggregate(Live live, Instant now, Duration lifetime) {
    if (live.tempoVotes() != forMap) rebuild(live.tempoVotes());
    Instant cutoff = now.minus(lifetime);
    if (oldest != null && oldest.isBefore(cutoff) && !oldestExact) rebuild(forMap);
    if (oldest == null || !oldest.isBefore(cutoff)) {
      return new int[] {counts[FASTER], counts[SLOWER], counts[PERFECT], forMap.size()};
    }
    scans++;
    int[] agg = new int[4];
    for (TempoVote v : forMap.values()) {
      if (v.at().isBefore(cutoff)) continue;
      agg[index(v.preference())]++;
      agg[3]++;
    }
    return agg;
  }

  /** Follows one applied event: {@code before --event--> after}. */
  void advance(SessionState before, SessionEvent event, SessionState after) {
    if (forMap == null) return;
    if (!(before instanceof Live b) || b.tempoVotes() != forMap || !(after instanceof Live a)) {
      forget();
      return;
    }
    Map<String, TempoVote> next = a.tempoVotes();
    if (next == forMap) return;
    if (!(event instanceof SessionEvent.DancerActionsRecorded recorded)) {
      forget();
      return;
    }
    Map<String, TempoVote> changed = new HashMap<>();
    int sizeChange = 0;
    for (SessionEvent.DancerAction action : recorded.actions()) {
      TempoVote vote;
      if (action instanceof SessionEvent.TempoVoteSet set) vote = new TempoVote(set.preference(), set.at());
      else if (action instanceof SessionEvent.TempoVoteCleared) vote = null;
      else continue;
      String id = action.clientId();
      TempoVote old = changed.containsKey(id) ? changed.get(id) : forMap.get(id);
      if (old != null) {
        remove(old);
        sizeChange--;
      }
      if (vote != null) {
        add(vote);
        sizeChange++;
      }
      changed.put(id, vote);
    }
    // the only other change the state makes to the map is pruning votes: then the sizes differ, rebuild later
    if (next.size() != forMap.size() + sizeChange) {
      forget();
      return;
    }
    forMap = next;
  }

  /** How often an aggregate had to scan the whole map to rebuild the tally (tests: the incremental path is taken). */
  long rebuilds() {
    return rebuilds;
  }

  /** How often an aggregate had to scan the map for votes past their lifetime. */
  long scans() {
    return scans;
  }

  private void rebuild(Map<String, TempoVote> votes) {
    rebuilds++;
    forget();
    for (TempoVote v : votes.values()) add(v);
    oldestExact = true;
    forMap = votes;
  }

  private void forget() {
    forMap = null;
    counts[FASTER] = 0;
    counts[SLOWER] = 0;
    counts[PERFECT] = 0;
    oldest = null;
    oldestExact = true;
  }

  private void add(TempoVote v) {
    counts[index(v.preference())]++;
    if (oldest == null || v.at().isBefore(oldest)) oldest = v.at();
  }

  private void remove(TempoVote v) {
    counts[index(v.preference())]--;
    if (v.at().equals(oldest)) oldestExact = false;
  }

  /** As the state's scan counts: "faster", "slower", anything else perfect. */
  private static int index(String preference) {
    return switch (preference) {
      case "faster" -> FASTER;
      case "slower" -> SLOWER;
      default -> PERFECT;
    };
  }
}
