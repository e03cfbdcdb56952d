package floorcast.api;

import floorcast.session.SessionSummary;
import java.util.List;

/**
 * The cluster's live sessions as the REST routes need them ({@code {S}}, {@code {S}/active}, {@code /debug/sessions}).
 * Implemented by the gateway's live-session directory; must answer from memory (called on request threads).
 */
public interface LiveSessionsView {
  /** Live sessions (DJ away included), any order; the routes sort oldest first. */
  List<SessionSummary> liveSessions();
}
