package floorcast.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.session.SessionEvent.DancerAction;
import floorcast.session.SessionEvent.DancerActionsRecorded;
import floorcast.session.SessionEvent.LikeAdded;
import floorcast.session.SessionEvent.ListenerJoined;
import floorcast.session.SessionEvent.ListenerLeft;
import floorcast.session.SessionState.Live;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The entity's incremental listener count against the state's definition (a scan of every entry). */
class ListenerTallyTest {
  private static final SessionSettings SETTINGS = FollowedState.SETTINGS;
  private static final Duration STICKY = SETTINGS.listenerSticky();
  private static final Instant T0 = FollowedState.T0;

  /** The state and its tally, moved together through events as the entity's event handler does. */
  private static final class Followed extends FollowedState<ListenerTally> {
    Followed() {
      super(new ListenerTally());
    }

    void assertCountsAt(Instant at) {
      Live live = (Live) state;
      assertEquals(live.listenerCount(at, SETTINGS), tally.count(live, at, STICKY), "count at " + at);
    }
  }

  @Test
  void randomJoinsAndLeavesCountAsTheScanWithoutRescanning() {
    Random random = new Random(20261206L);
    Followed f = new Followed();
    Instant now = T0;
    f.assertCountsAt(now);
    for (int batch = 0; batch < 3_000; batch++) {
      // mostly seconds apart, now and then a long quiet stretch (sticky expiry, the hourly purge)
      now = now.plusMillis(random.nextInt(20) == 0 ? random.nextInt(1_200_000) : random.nextInt(3_000));
      List<DancerAction> actions = new ArrayList<>();
      int size = 1 + random.nextInt(8);
      for (int i = 0; i < size; i++) {
        String client = "c" + random.nextInt(300); // repeats within a batch too
        Instant at = now.plusMillis(i);
        switch (random.nextInt(5)) {
          case 0, 1 -> actions.add(new ListenerJoined(client, at));
          case 2, 3 -> actions.add(new ListenerLeft(client, at));
          default -> actions.add(new LikeAdded(client, "artist - title", at));
        }
      }
      f.apply(new DancerActionsRecorded(actions, List.of()));
      f.assertCountsAt(now);
      f.assertCountsAt(now.plus(STICKY)); // exactly at the sticky edge of the batch's leaves
      f.assertCountsAt(now.plus(STICKY).plusMillis(size));
      f.assertCountsAt(now.plusSeconds(random.nextInt(900)));
    }
    // every batch changed the map; a scan happens only at the start and after a purge removed entries
    assertTrue(f.tally.rebuilds() < 1_000, "rebuilds " + f.tally.rebuilds() + " for 3,000 changed maps");
  }

  @Test
  void aStateTheTallyDidNotFollowIsCountedByAScan() {
    Followed f = new Followed();
    f.apply(new DancerActionsRecorded(List.of(new ListenerJoined("a", T0), new ListenerJoined("b", T0)), List.of()));
    f.assertCountsAt(T0);
    long before = f.tally.rebuilds();
    // the event is applied without the tally (as a deserialised or otherwise unknown state would be)
    f.state = f.state.apply(new DancerActionsRecorded(List.of(new ListenerLeft("a", T0.plusSeconds(1))), List.of()),
        SETTINGS);
    f.assertCountsAt(T0.plusSeconds(2));
    f.assertCountsAt(T0.plus(STICKY).plusSeconds(2));
    assertEquals(before + 1, f.tally.rebuilds());
    // and it follows again from there
    f.apply(new DancerActionsRecorded(List.of(new ListenerJoined("c", T0.plusSeconds(3))), List.of()));
    f.assertCountsAt(T0.plusSeconds(3));
    assertEquals(before + 1, f.tally.rebuilds());
  }

  @Test
  void leavesOfOneInstantExpireTogetherAtTheStickyEdge() {
    Followed f = new Followed();
    List<DancerAction> joins = new ArrayList<>();
    List<DancerAction> leaves = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      joins.add(new ListenerJoined("c" + i, T0));
      if (i < 30) leaves.add(new ListenerLeft("c" + i, T0.plusSeconds(10))); // e.g. a node's dancers at once
    }
    f.apply(new DancerActionsRecorded(joins, List.of()));
    f.apply(new DancerActionsRecorded(leaves, List.of()));
    Live live = (Live) f.state;
    assertEquals(50, f.tally.count(live, T0.plusSeconds(10).plus(STICKY), STICKY));
    assertEquals(20, f.tally.count(live, T0.plusSeconds(10).plus(STICKY).plusMillis(1), STICKY));
    f.assertCountsAt(T0.plusSeconds(10).plus(STICKY));
    f.assertCountsAt(T0.plusSeconds(10).plus(STICKY).plusMillis(1));
  }
}
