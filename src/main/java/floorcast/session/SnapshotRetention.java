package floorcast.session;

/**
 * Keeps a session's latest snapshots and drops the older ones (what Pekko's count-based retention did before the
 * entity chose its own snapshot moments, {@link SnapshotSchedule}). The node implements it against the snapshot
 * table; calls never block the entity.
 */
public interface SnapshotRetention {
  /** A snapshot of {@code persistenceId} at {@code sequenceNr} was stored. */
  void snapshotStored(String persistenceId, long sequenceNr);

  /** Keeps every snapshot (entity tests without a database of their own). */
  SnapshotRetention KEEP_ALL = (persistenceId, sequenceNr) -> {};
}
