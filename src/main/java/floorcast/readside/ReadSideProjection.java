package floorcast.readside;

import floorcast.session.SessionEvent;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * The journal → read-side projection (data.md §3): one instance per tag of {@link ProjectionTags}, spread over the
 * cluster by ShardedDaemonProcess (every node runs its share, instances move on node loss). Exactly-once: events are
 * applied in groups (≤ 200 events or 100 ms) and each group's offset is committed in the same transaction as its
 * rows, so replays after a crash or restart neither lose nor duplicate rows.
 */
public final class ReadSideProjection {
  public static final String NAME = "read-side";

  private ReadSideProjection() {}

  public static void start(ActorSystem<?> system, DataSource dataSource) {
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            NAME,
            ProjectionTags.COUNT,
            index -> ProjectionBehavior.create(projection(system, dataSource, ProjectionTags.tag(index))),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }

  /** Events of a group share one transaction with the offset: at most {@link #GROUP_SIZE} or {@link #GROUP_WITHIN}. */
  static final int GROUP_SIZE = 200;

  static final java.time.Duration GROUP_WITHIN = java.time.Duration.ofMillis(100);

  static GroupedProjection<Offset, EventEnvelope<SessionEvent>> projection(
      ActorSystem<?> system, DataSource dataSource, String tag) {
    SourceProvider<Offset, EventEnvelope<SessionEvent>> source =
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.groupedWithin(
            ProjectionId.of(NAME, tag),
            source,
            () -> new ReadSideJdbcSession(dataSource),
            SessionEventProjector::new,
            system)
        .withGroup(GROUP_SIZE, GROUP_WITHIN);
  }
}
