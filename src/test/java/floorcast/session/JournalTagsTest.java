package floorcast.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.session.SessionEvent.DancerActionsRecorded;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which journal events carry the read side's tag (the others are written as one multi-row insert). */
class JournalTagsTest {
  private static final Instant AT = Instant.parse("2026-11-23T20:00:00Z");

  private static DancerActionsRecorded batch(SessionEvent.DancerAction... actions) {
    return new DancerActionsRecorded(List.of(actions), List.of());
  }

  @Test
  void dancerBatchesAreTaggedOnlyWhenTheyHoldALikeAnUnlikeOrAPollVote() {
    assertFalse(DjSession.projected(batch(new SessionEvent.ListenerJoined("c", AT), new SessionEvent.ListenerLeft("d", AT))));
    assertFalse(DjSession.projected(batch(new SessionEvent.TempoVoteSet("c", "faster", AT), new SessionEvent.TempoVoteCleared("d", AT))));
    assertTrue(DjSession.projected(batch(new SessionEvent.ListenerJoined("c", AT), new SessionEvent.LikeAdded("c", "a|t", AT))));
    assertTrue(DjSession.projected(batch(new SessionEvent.LikeRemoved("c", "a|t", AT))));
    assertTrue(DjSession.projected(batch(new SessionEvent.PollVoteCast(1, "c", 0, AT))));
  }

  @Test
  void sessionLifecycleTracksTalliesAndPollsAreTaggedBookkeepingIsNot() {
    assertTrue(DjSession.projected(new SessionEvent.SessionCreated("s", "DJ", null, "c", false, AT, "0.3.0", "x")));
    assertTrue(DjSession.projected(new SessionEvent.TrackPlayed(TrackInfo.of("T", "A"), "a|t", true, AT, "m")));
    assertTrue(DjSession.projected(new SessionEvent.TempoTallied("A", "T", "a|t", 1, 0, 0, AT)));
    assertTrue(DjSession.projected(new SessionEvent.PollEnded(1, "ended", AT, null)));
    assertTrue(DjSession.projected(new SessionEvent.SessionEnded("dj_ended", AT, null)));
    assertTrue(DjSession.projected(new SessionEvent.DjDetached(AT, "disconnect")));
    assertTrue(DjSession.projected(new SessionEvent.DjAttached(AT, true, 1200L, "x")), "a reconnect is telemetry");
    assertFalse(DjSession.projected(new SessionEvent.DjAttached(AT, true, null, "x")));
    assertFalse(DjSession.projected(new SessionEvent.SeqReserved(100)));
    assertFalse(DjSession.projected(new SessionEvent.TrackStopped(AT, "m")));
  }
}
