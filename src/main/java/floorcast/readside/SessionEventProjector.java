package floorcast.readside;

import floorcast.session.SessionEvent;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/** Projects one journal envelope into the read-side tables on the projection's transaction (data.md §3). */
public final class SessionEventProjector extends JdbcHandler<EventEnvelope<SessionEvent>, ReadSideJdbcSession> {

  @Override
  public void process(ReadSideJdbcSession session, EventEnvelope<SessionEvent> envelope) throws Exception {
    // persistence id "DjSession|<sessionId>" (SessionSharding.TYPE_KEY)
    String sessionId = PersistenceId.extractEntityId(envelope.persistenceId());
    SessionEvent event = envelope.event();
    session.withConnection(
        connection -> {
          new SessionEventRows(connection).apply(sessionId, event);
          return null;
        });
  }
}
