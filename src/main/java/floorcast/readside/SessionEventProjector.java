package floorcast.readside;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import floorcast.session.SessionEvent;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Projects a group of journal envelopes, in journal order, into the read-side tables on the projection's one
 * transaction, which also stores the group's offset (data.md §3): one commit per group instead of per event. Each
 * session whose recap-visible rows the group changed gets one new read version ({@link ReadVersions#bump}) on that
 * same transaction, after its rows: once per session per group, not per event.
 */
public final class SessionEventProjector
    extends JdbcHandler<List<EventEnvelope<SessionEvent>>, ReadSideJdbcSession> {

  @Override
  public void process(ReadSideJdbcSession session, List<EventEnvelope<SessionEvent>> envelopes) throws Exception {
    session.withConnection(
        connection -> {
          Set<String> touched = new LinkedHashSet<>();
          try (SessionEventRows rows = new SessionEventRows(connection)) {
            for (EventEnvelope<SessionEvent> envelope : envelopes) {
              // persistence id "DjSession|<sessionId>" (SessionSharding.TYPE_KEY)
              String sessionId = PersistenceId.extractEntityId(envelope.persistenceId());
              if (rows.apply(sessionId, envelope.event())) touched.add(sessionId);
            }
          } // closing sends the batched likes: before the read versions, on the same transaction
          ReadVersions.bump(connection, touched);
          return null;
        });
  }
}
