package floorcast.session;

import static org.junit.jupiter.api.Assertions.*;

import floorcast.session.SessionEvent.AnnouncementSet;
import floorcast.session.SessionEvent.DancerActionsRecorded;
import floorcast.session.SessionEvent.ListenerJoined;
import floorcast.session.SessionEvent.SessionEnded;
import floorcast.session.SessionEvent.TrackPlayed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotScheduleTest {
  static final Instant AT = Instant.parse("2026-12-07T20:00:00Z");
  static final SessionEvent TRACK = new TrackPlayed(TrackInfo.of("Sway", "Rosie Carney"), "sway|rosie carney", true, AT, "m-1");
  static final SessionEvent ANNOUNCEMENT = new AnnouncementSet("Last dance!", AT, null, "m-2");
  static final SessionEvent DANCERS =
      new DancerActionsRecorded(List.of(new ListenerJoined("client_a", AT)), List.of());
  static final SessionEvent ENDED = new SessionEnded("dj", AT, "m-3");

  @Test
  void aDjCommandOnTheBoundaryIsNotSnapshottedButTheNextDancerBatchIs() {
    SnapshotSchedule s = new SnapshotSchedule(10);
    for (long seq = 1; seq <= 9; seq++) assertFalse(s.takeAfter(DANCERS, seq), "seq " + seq);
    assertFalse(s.takeAfter(TRACK, 10));
    assertFalse(s.takeAfter(ANNOUNCEMENT, 11));
    assertTrue(s.takeAfter(DANCERS, 12));
    // once per block of 10
    assertFalse(s.takeAfter(DANCERS, 13));
    assertFalse(s.takeAfter(DANCERS, 19));
    assertTrue(s.takeAfter(DANCERS, 20));
  }

  @Test
  void aSessionWithoutDancerBatchesSnapshotsOnceAFullBlockHasPassedSoRecoveryReplaysFewerThanTwoBlocks() {
    SnapshotSchedule s = new SnapshotSchedule(10);
    List<Long> taken = new ArrayList<>();
    for (long seq = 1; seq <= 65; seq++) if (s.takeAfter(seq % 2 == 0 ? TRACK : ANNOUNCEMENT, seq)) taken.add(seq);
    assertEquals(List.of(20L, 40L, 60L), taken);
    // between two snapshots fewer than 2 × 10 events
    assertTrue(s.takeAfter(DANCERS, 70));
  }

  @Test
  void theEndOfASessionIsAlwaysSnapshotted() {
    SnapshotSchedule s = new SnapshotSchedule(1000);
    assertTrue(s.takeAfter(ENDED, 3));
    assertTrue(s.takeAfter(ENDED, 4));
  }

  @Test
  void afterRecoveryTheScheduleContinuesFromTheSnapshotItRecoveredFrom() {
    SnapshotSchedule s = new SnapshotSchedule(100);
    s.recovered(1_234); // snapshot at 1,234, events replayed after it
    assertFalse(s.takeAfter(DANCERS, 1_299));
    assertFalse(s.takeAfter(TRACK, 1_300));
    assertTrue(s.takeAfter(DANCERS, 1_301));
    // recovered from a snapshot at 1,000, however far the journal had got since: a DJ-only stretch forces one at
    // 1,200, within two blocks of that snapshot
    SnapshotSchedule djOnly = new SnapshotSchedule(100);
    djOnly.recovered(1_000);
    assertFalse(djOnly.takeAfter(TRACK, 1_199));
    assertTrue(djOnly.takeAfter(TRACK, 1_200));
    SnapshotSchedule fresh = new SnapshotSchedule(100);
    fresh.recovered(0);
    assertTrue(fresh.takeAfter(DANCERS, 100));
  }

  @Test
  void nonPositiveIntervalsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SnapshotSchedule(0));
  }
}
