package floorcast.live;

import floorcast.session.SessionSummary;
import java.util.List;

/**
 * The cluster's live sessions as this node sees them (the lobby directory, implemented by the transport's
 * LiveSessionDirectory). The view MAY be up to 2 s stale (protocol.md §4.2).
 */
public interface LiveSessions {
  /** Every live session (DJ connected or away), in any order. */
  List<SessionSummary> liveSessions();

  /** Number of live sessions in the cluster (MAX_SESSIONS check, §3.1 step 5). */
  int count();

  /** Whether the directory currently lists this session as live. */
  boolean isLive(String sessionId);
}
