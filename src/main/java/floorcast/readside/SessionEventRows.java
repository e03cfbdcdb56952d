package floorcast.readside;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import floorcast.session.SessionEvent;
import floorcast.session.SessionEvent.DancerAction;
import floorcast.session.SessionEvent.DancerActionsRecorded;
import floorcast.session.SessionEvent.DjAttached;
import floorcast.session.SessionEvent.DjDetached;
import floorcast.session.SessionEvent.LikeAdded;
import floorcast.session.SessionEvent.LikeRemoved;
import floorcast.session.SessionEvent.MetadataMerged;
import floorcast.session.SessionEvent.PollEnded;
import floorcast.session.SessionEvent.PollStarted;
import floorcast.session.SessionEvent.PollVoteCast;
import floorcast.session.SessionEvent.SessionCreated;
import floorcast.session.SessionEvent.SessionEnded;
import floorcast.session.SessionEvent.TempoTallied;
import floorcast.session.SessionEvent.TrackPlayed;
import floorcast.session.SessionEvent.TrackRepeated;
import floorcast.session.TrackInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * The read-side writes of one journal event (data.md §3), on the projection's transaction. Events not handled here
 * (DjAttached without absence, TrackStopped, tempo votes, announcements, listeners, SeqReserved) change no table.
 */
public final class SessionEventRows implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The session's most recent play of a track key (data.md §3: likes and tallies link to it). */
  private static final String LATEST_PLAY_OF_KEY =
      "SELECT id FROM played_tracks WHERE session_id = ? AND track_key = ? ORDER BY played_at DESC, id DESC LIMIT 1";

  private static final String INSERT_LIKE =
      "INSERT INTO likes (session_id, client_id, played_track_id, created_at)"
          + " SELECT ?, ?, p.id, ? FROM (" + LATEST_PLAY_OF_KEY + ") p";

  private final Connection c;
  /**
   * Likes are the bulk of the projected events (a hot session's batches hold dozens): they go to the database as one
   * JDBC batch, sent before any other statement of this instance (so every statement still runs in event order) and
   * at {@link #flush()}.
   */
  private PreparedStatement likes;
  private int likesPending;

  public SessionEventRows(Connection connection) {
    this.c = connection;
  }

  /** Sends the likes batched so far. Rows are only complete after this (or {@link #close()}). */
  public void flush() throws SQLException {
    if (likesPending == 0) return;
    likesPending = 0;
    likes.executeBatch();
  }

  /** Flushes, then releases the batched statement. */
  @Override
  public void close() throws SQLException {
    try {
      flush();
    } finally {
      if (likes != null) likes.close();
      likes = null;
    }
  }

  /**
   * Writes the event's rows.
   *
   * @return whether it wrote (or may have written) a row the session's recap shows: sessions, played_tracks, likes,
   *     tempo_votes, polls, poll_votes. Telemetry ({@code session_events}) alone is not shown. The caller bumps the
   *     session's {@link ReadVersions read version} on the same transaction when this is true.
   */
  public boolean apply(String sessionId, SessionEvent event) throws SQLException {
    if (!(event instanceof DancerActionsRecorded)) flush();
    if (event instanceof SessionCreated e) {
      sessionCreated(sessionId, e);
      return true;
    } else if (event instanceof DjAttached e) {
      if (e.awayMs() != null) {
        ObjectNode meta = JSON.createObjectNode().put("reconnectMs", e.awayMs());
        telemetry(sessionId, "reconnect", e.at(), meta);
      }
      return false;
    } else if (event instanceof DjDetached e) {
      telemetry(sessionId, "disconnect", e.at(), JSON.createObjectNode().put("reason", "unexpected"));
      return false;
    } else if (event instanceof TrackPlayed e) {
      if (e.newPlay()) insertPlay(sessionId, e.track(), e.trackKey(), e.at());
      return e.newPlay();
    } else if (event instanceof TrackRepeated e) {
      updateLatestPlay(sessionId, e.track().trackKey(), e.track());
      return true;
    } else if (event instanceof MetadataMerged e) {
      updateLatestPlay(sessionId, e.trackKey(), e.fields());
      return true;
    } else if (event instanceof TempoTallied e) {
      tempoTallied(sessionId, e);
      return true;
    } else if (event instanceof PollStarted e) {
      pollStarted(sessionId, e);
      return true;
    } else if (event instanceof PollEnded e) {
      pollEnded(e);
      return true;
    } else if (event instanceof SessionEnded e) {
      sessionEnded(sessionId, e);
      return true;
    } else if (event instanceof DancerActionsRecorded e) {
      boolean wrote = false;
      if (e.actions() != null) for (DancerAction action : e.actions()) wrote |= dancerAction(sessionId, action);
      return wrote;
    }
    return false;
  }

  private boolean dancerAction(String sessionId, DancerAction action) throws SQLException {
    if (action instanceof LikeAdded a) {
      likeAdded(sessionId, a);
      return true;
    }
    flush();
    if (action instanceof LikeRemoved a) {
      likeRemoved(sessionId, a);
      return true;
    } else if (action instanceof PollVoteCast a) {
      pollVoteCast(a);
      return true;
    }
    return false;
  }

  private void sessionCreated(String sessionId, SessionCreated e) throws SQLException {
    // ON CONFLICT: an id imported from Pika! is refused by the entity, but a replay must never wedge the projection.
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO sessions (id, dj_user_id, dj_name, started_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
      ps.setString(1, sessionId);
      if (e.ownerUserId() == null) ps.setNull(2, Types.INTEGER);
      else ps.setInt(2, Math.toIntExact(e.ownerUserId()));
      ps.setString(3, e.djName() == null ? "" : e.djName()); // NOT NULL column; recaps show "DJ" for empty
      ps.setObject(4, SqlTime.utc(e.startedAt()));
      ps.executeUpdate();
    }
    ObjectNode meta = JSON.createObjectNode();
    if (e.clientVersion() != null) meta.put("clientVersion", e.clientVersion());
    telemetry(sessionId, "connect", e.startedAt(), meta);
  }

  private void telemetry(String sessionId, String type, Instant at, ObjectNode metadata) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO session_events (session_id, event_type, \"timestamp\", metadata) VALUES (?, ?, ?, ?::json)")) {
      ps.setString(1, sessionId);
      ps.setString(2, type);
      ps.setObject(3, SqlTime.utc(at));
      ps.setString(4, metadata.toString());
      ps.executeUpdate();
    }
  }

  private void insertPlay(String sessionId, TrackInfo t, String trackKey, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO played_tracks (session_id, artist, title, bpm, key, energy, danceability, brightness,"
                + " acousticness, groove, played_at, track_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, sessionId);
      ps.setString(2, t.artist());
      ps.setString(3, t.title());
      setInt(ps, 4, MetricRounding.halfUp(t.bpm()));
      ps.setString(5, t.key());
      setInt(ps, 6, MetricRounding.halfUp(t.energy()));
      setInt(ps, 7, MetricRounding.halfUp(t.danceability()));
      setInt(ps, 8, MetricRounding.halfUp(t.brightness()));
      setInt(ps, 9, MetricRounding.halfUp(t.acousticness()));
      setInt(ps, 10, MetricRounding.halfUp(t.groove()));
      ps.setObject(11, SqlTime.utc(at));
      ps.setString(12, trackKey != null ? trackKey : t.trackKey());
      ps.executeUpdate();
    }
  }

  /** data.md §3: the provided values overwrite, absent ones are kept. */
  private void updateLatestPlay(String sessionId, String trackKey, TrackInfo provided) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE played_tracks SET bpm = COALESCE(?, bpm), key = COALESCE(?, key), energy = COALESCE(?, energy),"
                + " danceability = COALESCE(?, danceability), brightness = COALESCE(?, brightness),"
                + " acousticness = COALESCE(?, acousticness), groove = COALESCE(?, groove)"
                + " WHERE id = (" + LATEST_PLAY_OF_KEY + ")")) {
      setInt(ps, 1, MetricRounding.halfUp(provided.bpm()));
      ps.setString(2, provided.key());
      setInt(ps, 3, MetricRounding.halfUp(provided.energy()));
      setInt(ps, 4, MetricRounding.halfUp(provided.danceability()));
      setInt(ps, 5, MetricRounding.halfUp(provided.brightness()));
      setInt(ps, 6, MetricRounding.halfUp(provided.acousticness()));
      setInt(ps, 7, MetricRounding.halfUp(provided.groove()));
      ps.setString(8, sessionId);
      ps.setString(9, trackKey);
      ps.executeUpdate();
    }
  }

  private void tempoTallied(String sessionId, TempoTallied e) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO tempo_votes (session_id, track_artist, track_title, slower_count, perfect_count,"
                + " faster_count, created_at, played_track_id) VALUES (?, ?, ?, ?, ?, ?, ?, (" + LATEST_PLAY_OF_KEY + "))")) {
      ps.setString(1, sessionId);
      ps.setString(2, e.artist());
      ps.setString(3, e.title());
      ps.setInt(4, e.slower());
      ps.setInt(5, e.perfect());
      ps.setInt(6, e.faster());
      ps.setObject(7, SqlTime.utc(e.at()));
      ps.setString(8, sessionId);
      ps.setString(9, e.trackKey());
      ps.executeUpdate();
    }
  }

  /** A like without any play of its key cannot be stored (played_track_id is NOT NULL); the entity never emits one. */
  private void likeAdded(String sessionId, LikeAdded a) throws SQLException {
    if (likes == null) likes = c.prepareStatement(INSERT_LIKE);
    likes.setString(1, sessionId);
    likes.setString(2, a.clientId());
    likes.setObject(3, SqlTime.utc(a.at()));
    likes.setString(4, sessionId);
    likes.setString(5, a.trackKey());
    likes.addBatch();
    likesPending++;
  }

  private void likeRemoved(String sessionId, LikeRemoved a) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM likes l USING played_tracks p WHERE l.played_track_id = p.id AND l.session_id = ?"
                + " AND l.client_id = ? AND p.track_key = ?")) {
      ps.setString(1, sessionId);
      ps.setString(2, a.clientId());
      ps.setString(3, a.trackKey());
      ps.executeUpdate();
    }
  }

  private void pollStarted(String sessionId, PollStarted e) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO polls (id, session_id, question, options, status, current_track_artist, current_track_title,"
                + " started_at) VALUES (?, ?, ?, ?::json, 'active', ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
      ps.setLong(1, e.pollId());
      ps.setString(2, sessionId);
      ps.setString(3, e.question());
      ps.setString(4, JSON.valueToTree(e.options()).toString());
      ps.setString(5, e.trackArtist());
      ps.setString(6, e.trackTitle());
      ps.setObject(7, SqlTime.utc(e.at()));
      ps.executeUpdate();
    }
  }

  private void pollVoteCast(PollVoteCast a) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO poll_votes (poll_id, client_id, option_index, voted_at) SELECT ?, ?, ?, ?"
                + " WHERE EXISTS (SELECT 1 FROM polls WHERE id = ?)"
                + " ON CONFLICT ON CONSTRAINT poll_votes_poll_id_client_id_unique DO NOTHING")) {
      ps.setLong(1, a.pollId());
      ps.setString(2, a.clientId());
      ps.setInt(3, a.optionIndex());
      ps.setObject(4, SqlTime.utc(a.at()));
      ps.setLong(5, a.pollId());
      ps.executeUpdate();
    }
  }

  private void pollEnded(PollEnded e) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE polls SET status = 'closed', ended_at = ? WHERE id = ?")) {
      ps.setObject(1, SqlTime.utc(e.at()));
      ps.setLong(2, e.pollId());
      ps.executeUpdate();
    }
  }

  private void sessionEnded(String sessionId, SessionEnded e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE sessions SET ended_at = ? WHERE id = ?")) {
      ps.setObject(1, SqlTime.utc(e.at()));
      ps.setString(2, sessionId);
      ps.executeUpdate();
    }
    telemetry(sessionId, "end", e.at(), JSON.createObjectNode().put("reason", e.reason()));
  }

  private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
    if (value == null) ps.setNull(index, Types.INTEGER);
    else ps.setInt(index, value);
  }
}
