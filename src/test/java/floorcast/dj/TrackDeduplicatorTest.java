package floorcast.dj;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrackDeduplicatorTest {
  static final long T0 = 1_800_000_000_000L; // a whole minute

  @Test
  void samePlayWithinTheSameMinuteIsRecordedOnce() {
    TrackDeduplicator d = new TrackDeduplicator();
    assertTrue(d.record("A", "T", T0));
    assertFalse(d.record("A", "T", T0 + 30_000));
  }

  @Test
  void sameTrackCaseInsensitiveWithin120SecondsIsNotRecorded() {
    TrackDeduplicator d = new TrackDeduplicator();
    assertTrue(d.record("Artist", "Title", T0));
    assertFalse(d.record("ARTIST", "title", T0 + 90_000));
    assertFalse(d.record("artist", "TITLE", T0 + 119_999));
  }

  @Test
  void sameTrackAfter120SecondsIsANewPlay() {
    TrackDeduplicator d = new TrackDeduplicator();
    assertTrue(d.record("A", "T", T0));
    assertTrue(d.record("A", "T", T0 + 120_000));
  }

  @Test
  void differentTracksAreIndependent() {
    TrackDeduplicator d = new TrackDeduplicator();
    assertTrue(d.record("A", "T", T0));
    assertTrue(d.record("B", "T", T0 + 1_000));
    assertTrue(d.record("A", "U", T0 + 2_000));
  }

  @Test
  void importedPlaysCountAsRecorded() {
    TrackDeduplicator d = new TrackDeduplicator();
    d.markRecorded("A", "T", T0 - 60_000);
    assertFalse(d.record("a", "t", T0));
    assertTrue(d.record("A", "T", T0 + 61_000));
  }

  @Test
  void broadcastIsSkippedWhenExactlyEqualToTheLastUntilForceSync() {
    TrackDeduplicator d = new TrackDeduplicator();
    assertTrue(d.claimBroadcast("A", "T"));
    assertFalse(d.claimBroadcast("A", "T"));
    assertTrue(d.claimBroadcast("a", "T"), "exact comparison");
    assertTrue(d.claimBroadcast("A", "T"));
    d.forceSync();
    assertTrue(d.claimBroadcast("A", "T"));
  }
}
