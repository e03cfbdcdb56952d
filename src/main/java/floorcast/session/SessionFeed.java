package floorcast.session;

import floorcast.serialization.CborSerializable;
import java.util.List;

/** What a session publishes to every node (through {@link SessionPublisher}); nodes fan it out to connections. */
public sealed interface SessionFeed extends CborSerializable {
  String sessionId();

  /** Who receives a published message (protocol.md §1.4). */
  enum Audience {
    /** subscribers + DJ connection */
    SESSION,
    /** SESSION plus every lobby watcher on any node (SESSION_STARTED, SESSION_ENDED) */
    LOBBY,
    /** only the DJ connection ({@code targetConnectionId}) — TEMPO_FEEDBACK */
    DJ_ONLY
  }

  /**
   * {@code publishedAtMillis}: the entity's wall clock when it published (after the causing events were persisted),
   * for the fan-out latency metric; 0 = unknown (the fan-out then records nothing).
   */
  record Published(
      String sessionId, SessionMessage message, Audience audience, String targetConnectionId, long publishedAtMillis)
      implements SessionFeed {}

  /**
   * Several messages published together by one command or timer (e.g. TEMPO_RESET then NOW_PLAYING for a track
   * change), in seq order: one cluster message per node instead of one per message, and a node may write them to
   * each connection together (one socket write for both). Recipients see exactly what the items would give one by
   * one, in the same order.
   */
  record Batch(String sessionId, List<Published> items) implements SessionFeed {
    public Batch {
      items = List.copyOf(items);
    }
  }

  /**
   * The entity (re)started with a live session: connections that were subscribed or held its DJ role send
   * {@link SessionCommand.Reattach} (§7.6). {@code djConnectionId} is the DJ connection the entity remembers.
   */
  record Recovered(String sessionId, String djConnectionId) implements SessionFeed {}

  /**
   * The DJ role moved away from {@code connectionId} (another connection resumed the session): that connection
   * loses its role silently (§3.1 step 4).
   */
  record DjRoleRevoked(String sessionId, String connectionId) implements SessionFeed {}
}
