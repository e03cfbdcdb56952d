package floorcast.session;

import floorcast.session.SessionEvent.DancerActionsRecorded;
import floorcast.session.SessionEvent.SessionEnded;

/**
 * When the session entity takes a snapshot. Pekko defers a persisted command's side effects (its reply, its
 * broadcasts) until a snapshot taken after it is stored, so the event that triggers the snapshot pays for it:
 * serialising the whole state and writing it (89 KB and 85 ms for a session with 1,000 listeners on a fresh node;
 * docs/benchmarks.md "Session 12"). Pekko's count-based retention snapshots at every multiple of N, whatever the
 * event, so one track broadcast in N reached every dancer that much later. Here a snapshot waits for the first
 * dancer batch ({@link DancerActionsRecorded}: dancers' likes, votes, joins and leaves, acknowledged to those
 * dancers only) after each multiple of N; a session without dancer batches for another N events snapshots on
 * whatever comes next, so recovery replays fewer than 2N events. The end of a session is always snapshotted
 * (data.md §1.2). One instance per entity incarnation, on the entity's thread.
 */
public final class SnapshotSchedule {
  private final long every;
  /** {@code seqNr / every} of the latest snapshot (taken by this incarnation, or the one it recovered from). */
  private long lastBlock;

  public SnapshotSchedule(int every) {
    if (every < 1) throw new IllegalArgumentException("snapshot-every must be at least 1, was " + every);
    this.every = every;
  }

  /**
   * After recovery: the sequence number of the snapshot it started from (0 without one), i.e. the journal's highest
   * sequence number minus the events replayed, so the next snapshot still comes within two blocks of it.
   */
  public void recovered(long snapshotSequenceNr) {
    lastBlock = snapshotSequenceNr / every;
  }

  /** Whether to snapshot after {@code event}, persisted as {@code sequenceNr}; remembers a yes. */
  public boolean takeAfter(SessionEvent event, long sequenceNr) {
    long block = sequenceNr / every;
    boolean due =
        event instanceof SessionEnded
            || (block > lastBlock && event instanceof DancerActionsRecorded)
            || block > lastBlock + 1;
    if (due) lastBlock = block;
    return due;
  }
}
