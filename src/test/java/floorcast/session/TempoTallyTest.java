package floorcast.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.session.SessionEvent.DancerAction;
import floorcast.session.SessionEvent.DancerActionsRecorded;
import floorcast.session.SessionEvent.LikeAdded;
import floorcast.session.SessionEvent.TempoVoteCleared;
import floorcast.session.SessionEvent.TempoVoteSet;
import floorcast.session.SessionEvent.TrackPlayed;
import floorcast.session.SessionState.Live;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The entity's incremental tempo aggregate against the state's definition (a scan of every vote). */
class TempoTallyTest {
  private static final SessionSettings SETTINGS = FollowedState.SETTINGS;
  private static final Duration LIFETIME = SETTINGS.tempoVoteLifetime();
  private static final Instant T0 = FollowedState.T0;
  private static final String[] PREFERENCES = {"faster", "slower", "perfect"};

  /** The state and its tally, moved together through events as the entity's event handler does. */
  private static final class Followed extends FollowedState<TempoTally> {
    Followed() {
      super(new TempoTally());
    }

    void play(String title, Instant at) {
      TrackInfo track = TrackInfo.of(title, "Artist");
      apply(new TrackPlayed(track, track.trackKey(), true, at, "m-" + title + at.toEpochMilli()));
    }

    int[] assertAggregatesAt(Instant at) {
      Live live = (Live) state;
      int[] expected = live.tempoAggregate(at, SETTINGS);
      int[] actual = tally.aggregate(live, at, LIFETIME);
      assertArrayEquals(expected, actual, "aggregate at " + at);
      return actual;
    }
  }

  @Test
  void randomVotesAggregateAsTheScanWithoutRescanning() {
    Random random = new Random(20261207L);
    Followed f = new Followed();
    Instant now = T0;
    f.play("first", now);
    f.assertAggregatesAt(now);
    int trackChanges = 0;
    for (int batch = 0; batch < 3_000; batch++) {
      // mostly seconds apart, now and then a long quiet stretch (votes outlive the lifetime, the state prunes)
      now = now.plusMillis(random.nextInt(20) == 0 ? random.nextInt(600_000) : random.nextInt(3_000));
      if (random.nextInt(100) == 0) {
        f.play("t" + batch, now); // clears every vote
        trackChanges++;
      }
      List<DancerAction> actions = new ArrayList<>();
      int size = 1 + random.nextInt(8);
      for (int i = 0; i < size; i++) {
        String client = "c" + random.nextInt(300); // repeats within a batch too
        Instant at = now.plusMillis(i);
        switch (random.nextInt(6)) {
          case 0, 1, 2, 3 -> actions.add(new TempoVoteSet(client, PREFERENCES[random.nextInt(3)], at));
          case 4 -> actions.add(new TempoVoteCleared(client, at));
          default -> actions.add(new LikeAdded(client, "artist - title", at));
        }
      }
      f.apply(new DancerActionsRecorded(actions, List.of()));
      f.assertAggregatesAt(now);
      f.assertAggregatesAt(now.plus(LIFETIME)); // exactly at the lifetime edge of the batch's votes
      f.assertAggregatesAt(now.plus(LIFETIME).plusMillis(size));
      f.assertAggregatesAt(now.plusSeconds(random.nextInt(400)));
    }
    assertTrue(f.tally.scans() > 0, "votes past their lifetime were aggregated too");
    // every batch changed the map; a rebuild happens only at the start, after a prune and after a track change
    assertTrue(
        f.tally.rebuilds() < 1_000 + trackChanges,
        "rebuilds " + f.tally.rebuilds() + " for 3,000 changed maps and " + trackChanges + " track changes");
  }

  @Test
  void aStateTheTallyDidNotFollowIsAggregatedByAScan() {
    Followed f = new Followed();
    f.play("first", T0);
    f.apply(
        new DancerActionsRecorded(
            List.of(new TempoVoteSet("a", "faster", T0), new TempoVoteSet("b", "perfect", T0)), List.of()));
    assertArrayEquals(new int[] {1, 0, 1, 2}, f.assertAggregatesAt(T0));
    long before = f.tally.rebuilds();
    // the event is applied without the tally (as a deserialised or otherwise unknown state would be)
    f.state =
        f.state.apply(
            new DancerActionsRecorded(List.of(new TempoVoteSet("a", "slower", T0.plusSeconds(1))), List.of()),
            SETTINGS);
    assertArrayEquals(new int[] {0, 1, 1, 2}, f.assertAggregatesAt(T0.plusSeconds(2)));
    assertEquals(before + 1, f.tally.rebuilds());
    // and it follows again from there
    f.apply(new DancerActionsRecorded(List.of(new TempoVoteCleared("b", T0.plusSeconds(3))), List.of()));
    assertArrayEquals(new int[] {0, 1, 0, 1}, f.assertAggregatesAt(T0.plusSeconds(3)));
    assertEquals(before + 1, f.tally.rebuilds());
  }

  @Test
  void votesOfOneInstantStopCountingTogetherAfterTheLifetime() {
    Followed f = new Followed();
    f.play("first", T0);
    List<DancerAction> votes = new ArrayList<>();
    for (int i = 0; i < 30; i++) votes.add(new TempoVoteSet("c" + i, PREFERENCES[i % 3], T0));
    votes.add(new TempoVoteSet("late", "faster", T0.plusSeconds(10)));
    f.apply(new DancerActionsRecorded(votes, List.of()));
    Live live = (Live) f.state;
    assertArrayEquals(new int[] {11, 10, 10, 31}, f.tally.aggregate(live, T0.plus(LIFETIME), LIFETIME));
    assertEquals(0, f.tally.scans(), "while the oldest vote counts, the aggregate is the counts");
    assertArrayEquals(new int[] {1, 0, 0, 1}, f.tally.aggregate(live, T0.plus(LIFETIME).plusMillis(1), LIFETIME));
    assertEquals(1, f.tally.scans());
    f.assertAggregatesAt(T0.plus(LIFETIME));
    f.assertAggregatesAt(T0.plus(LIFETIME).plusMillis(1));
  }
}
