package floorcast.readside;

import java.util.List;

import floorcast.session.SessionEvent;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Projects a group of journal envelopes, in journal order, into the read-side tables on the projection's one
 * transaction, which also stores the group's offset (data.md §3): one commit per group instead of per event.
 */
public final class SessionEventProjector
    extends JdbcHandler<List<EventEnvelope<SessionEvent>>, ReadSideJdbcSession> {

  @Override
  public void process(ReadSideJdbcSession session, List<EventEnvelope<SessionEvent>> envelopes) throws Exception {
    session.withConnection(
        connection -> {
          SessionEventRows rows = new SessionEventRows(connection);
          for (EventEnvelope<SessionEvent> envelope : envelopes) {
            // persistence id "DjSession|<sessionId>" (SessionSharding.TYPE_KEY)
            rows.apply(PersistenceId.extractEntityId(envelope.persistenceId()), envelope.event());
          }
          return null;
        });
  }
}
