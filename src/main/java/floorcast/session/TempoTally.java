package floorcast.session;

import floorcast.session.SessionState.Live;
import floorcast.session.SessionState.TempoVote;
import java.time.Duration;
import java.time.Instant;
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
 * votes, so at a dance that is rare. Follows the state as every {@link MapTally} does (a track change replaces the
 * map: one scan of the new, usually empty, map).
 */
final class TempoTally extends MapTally<TempoVote> {
  private static final int FASTER = 0;
  private static final int SLOWER = 1;
  private static final int PERFECT = 2;

  /** Every vote of the map by preference. */
  private final int[] counts = new int[3];
  /** No vote of the map is older; null when the map is empty. */
  private Instant oldest;
  /** Whether {@link #oldest} is a vote of the map (else only a bound: that vote was changed or cleared since). */
  private boolean oldestExact = true;
  private long scans;

  /** {faster, slower, perfect, total} of {@code live}'s votes counting at {@code now}: at or after now - lifetime. */
  int[] aggregate(Live live, Instant now, Duration lifetime) {
    Map<String, TempoVote> votes = follow(live);
    Instant cutoff = now.minus(lifetime);
    if (oldest != null && oldest.isBefore(cutoff) && !oldestExact) rebuild(live);
    if (oldest == null || !oldest.isBefore(cutoff)) {
      return new int[] {counts[FASTER], counts[SLOWER], counts[PERFECT], votes.size()};
    }
    scans++;
    int[] agg = new int[4];
    for (TempoVote v : votes.values()) {
      if (v.at().isBefore(cutoff)) continue;
      agg[index(v.preference())]++;
      agg[3]++;
    }
    return agg;
  }

  /** How often an aggregate had to scan the map for votes past their lifetime. */
  long scans() {
    return scans;
  }

  @Override
  Map<String, TempoVote> mapOf(Live live) {
    return live.tempoVotes();
  }

  @Override
  boolean changes(SessionEvent.DancerAction action) {
    return action instanceof SessionEvent.TempoVoteSet || action instanceof SessionEvent.TempoVoteCleared;
  }

  @Override
  TempoVote valueAfter(SessionEvent.DancerAction action) {
    return action instanceof SessionEvent.TempoVoteSet set ? new TempoVote(set.preference(), set.at()) : null;
  }

  @Override
  void add(TempoVote v) {
    counts[index(v.preference())]++;
    if (oldest == null || v.at().isBefore(oldest)) oldest = v.at();
  }

  @Override
  void remove(TempoVote v) {
    counts[index(v.preference())]--;
    if (v.at().equals(oldest)) oldestExact = false;
  }

  @Override
  void clear() {
    counts[FASTER] = 0;
    counts[SLOWER] = 0;
    counts[PERFECT] = 0;
    oldest = null;
    oldestExact = true;
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
