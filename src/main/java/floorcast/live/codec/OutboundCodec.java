package floorcast.live.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import floorcast.live.MessageRenderer;
import floorcast.session.SessionError;
import floorcast.session.SessionMessage;
import floorcast.session.SessionSummary;
import floorcast.session.TrackInfo;
import floorcast.wire.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Server→client wire JSON (protocol.md §6, §1.6): exact field names and order of the spec's examples, absent
 * values omitted (never {@code null}), timestamps in JavaScript ISO form, counts/ids/indexes as integers and other
 * numbers as JavaScript writes them. The fan-out calls {@link #render} once per node per update. Thread-safe.
 */
public final class OutboundCodec implements MessageRenderer {
  private static final String PONG = "{\"type\":\"PONG\"}";

  /** Wire type per session message class (§6), for metrics labels. */
  private static final Map<Class<?>, String> WIRE_TYPES =
      Map.ofEntries(
          Map.entry(SessionMessage.SessionRegistered.class, "SESSION_REGISTERED"),
          Map.entry(SessionMessage.SessionStarted.class, "SESSION_STARTED"),
          Map.entry(SessionMessage.DjStatus.class, "DJ_STATUS"),
          Map.entry(SessionMessage.NowPlaying.class, "NOW_PLAYING"),
          Map.entry(SessionMessage.MetadataUpdated.class, "METADATA_UPDATED"),
          Map.entry(SessionMessage.TrackStopped.class, "TRACK_STOPPED"),
          Map.entry(SessionMessage.TempoReset.class, "TEMPO_RESET"),
          Map.entry(SessionMessage.TempoFeedback.class, "TEMPO_FEEDBACK"),
          Map.entry(SessionMessage.LikeReceived.class, "LIKE_RECEIVED"),
          Map.entry(SessionMessage.ReactionReceived.class, "REACTION_RECEIVED"),
          Map.entry(SessionMessage.ListenerCount.class, "LISTENER_COUNT"),
          Map.entry(SessionMessage.SessionsList.class, "SESSIONS_LIST"),
          Map.entry(SessionMessage.PollStarted.class, "POLL_STARTED"),
          Map.entry(SessionMessage.PollUpdate.class, "POLL_UPDATE"),
          Map.entry(SessionMessage.PollEnded.class, "POLL_ENDED"),
          Map.entry(SessionMessage.AnnouncementReceived.class, "ANNOUNCEMENT_RECEIVED"),
          Map.entry(SessionMessage.AnnouncementCancelled.class, "ANNOUNCEMENT_CANCELLED"),
          Map.entry(SessionMessage.SessionExpired.class, "SESSION_EXPIRED"),
          Map.entry(SessionMessage.SessionEnded.class, "SESSION_ENDED"));

  private final JsonFactory factory = new JsonFactory();

  /** Wire JSON of a session message. A {@code seq} ≤ 0 is omitted (the seq-less SESSION_ENDED reply, §4.1). */
  @Override
  public String render(SessionMessage message) {
    return write(g -> writeMessage(g, message));
  }

  /** The {@code type} field {@link #render} writes for this message. */
  @Override
  public String wireType(SessionMessage message) {
    String type = WIRE_TYPES.get(message.getClass());
    if (type == null) throw new IllegalArgumentException("no wire form for " + message.getClass().getName());
    return type;
  }

  /** Seq-less direct reply to SUBSCRIBE for an ended or unknown session (§4.1 step 2). */
  public String sessionEndedWithoutSeq(String sessionId) {
    return render(new SessionMessage.SessionEnded(sessionId, 0));
  }

  /** GET_SESSIONS reply (§4.2): entries as given (the caller orders and caps them). */
  public String sessionsList(List<SessionSummary> sessions) {
    return render(new SessionMessage.SessionsList(null, sessions));
  }

  public String ack(String messageId, Instant now) {
    return write(
        g -> {
          g.writeStringField("type", "ACK");
          g.writeStringField("messageId", messageId);
          g.writeStringField("status", "ok");
          g.writeStringField("timestamp", Timestamps.format(now));
        });
  }

  public String nack(String messageId, SessionError error, Instant now) {
    return nack(messageId, error.text(), error.code(), now);
  }

  public String nack(String messageId, String text, String code, Instant now) {
    return write(
        g -> {
          g.writeStringField("type", "NACK");
          g.writeStringField("messageId", messageId);
          g.writeStringField("error", text);
          g.writeStringField("code", code);
          g.writeStringField("timestamp", Timestamps.format(now));
        });
  }

  public String error(SessionError error) {
    return error(error.text(), error.code());
  }

  /** §1.6: {@code {"type":"ERROR","code":…,"message":…}} for failures without a usable messageId. */
  public String error(String text, String code) {
    return write(
        g -> {
          g.writeStringField("type", "ERROR");
          g.writeStringField("code", code);
          g.writeStringField("message", text);
        });
  }

  /** §5: exactly {@code {"type":"PONG"}}. */
  public String pong() {
    return PONG;
  }

  public String sessionValid(String sessionId, boolean valid) {
    return write(
        g -> {
          g.writeStringField("type", "SESSION_VALID");
          g.writeStringField("sessionId", sessionId);
          g.writeBooleanField("isValid", valid);
        });
  }

  /** One entry of a {@code SESSIONS_LIST} (§6) as a JSON object, exactly as {@link #sessionsList} writes it. */
  public String sessionEntry(SessionSummary session) {
    StringWriter out = new StringWriter(192);
    try (JsonGenerator g = factory.createGenerator(out)) {
      writeSessionEntry(g, session);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /**
   * A {@code SESSIONS_LIST} assembled from entries {@link #sessionEntry} rendered before: the same bytes as
   * {@link #sessionsList} for those sessions, without rendering an unchanged entry again.
   */
  public String sessionsListOf(List<String> renderedEntries) {
    int size = 40;
    for (String entry : renderedEntries) size += entry.length() + 1;
    StringBuilder json = new StringBuilder(size).append("{\"type\":\"SESSIONS_LIST\",\"sessions\":[");
    for (int i = 0; i < renderedEntries.size(); i++) {
      if (i > 0) json.append(',');
      json.append(renderedEntries.get(i));
    }
    return json.append("]}").toString();
  }

  @FunctionalInterface
  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private String write(Fields fields) {
    StringWriter out = new StringWriter(192);
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void head(JsonGenerator g, SessionMessage m) throws IOException {
    g.writeStringField("type", WIRE_TYPES.get(m.getClass()));
    if (m.sessionId() != null) g.writeStringField("sessionId", m.sessionId());
    if (m.seq() > 0) g.writeNumberField("seq", m.seq());
  }

  private static void writeMessage(JsonGenerator g, SessionMessage message) throws IOException {
    if (message instanceof SessionMessage.SessionRegistered m) {
      head(g, m);
      g.writeBooleanField("authenticated", m.authenticated());
      stringField(g, "djName", m.djName());
      g.writeBooleanField("resumed", m.resumed());
    } else if (message instanceof SessionMessage.SessionStarted m) {
      head(g, m);
      stringField(g, "djName", m.djName());
      timestampField(g, "startTime", m.startTime());
    } else if (message instanceof SessionMessage.DjStatus m) {
      head(g, m);
      g.writeBooleanField("connected", m.connected());
    } else if (message instanceof SessionMessage.NowPlaying m) {
      head(g, m);
      stringField(g, "djName", m.djName());
      trackField(g, "track", m.track());
    } else if (message instanceof SessionMessage.MetadataUpdated m) {
      head(g, m);
      trackField(g, "track", m.track());
    } else if (message instanceof SessionMessage.TrackStopped m) {
      head(g, m);
    } else if (message instanceof SessionMessage.TempoReset m) {
      head(g, m);
    } else if (message instanceof SessionMessage.TempoFeedback m) {
      head(g, m);
      g.writeNumberField("faster", m.faster());
      g.writeNumberField("slower", m.slower());
      g.writeNumberField("perfect", m.perfect());
      g.writeNumberField("total", m.total());
    } else if (message instanceof SessionMessage.LikeReceived m) {
      head(g, m);
      g.writeObjectFieldStart("payload");
      trackField(g, "track", m.track());
      g.writeEndObject();
      g.writeNumberField("count", m.count());
    } else if (message instanceof SessionMessage.ReactionReceived m) {
      head(g, m);
      stringField(g, "reaction", m.reaction());
      g.writeNumberField("count", m.count());
    } else if (message instanceof SessionMessage.ListenerCount m) {
      head(g, m);
      g.writeNumberField("count", m.count());
    } else if (message instanceof SessionMessage.SessionsList m) {
      g.writeStringField("type", WIRE_TYPES.get(SessionMessage.SessionsList.class)); // no sessionId, no seq (§6)
      g.writeArrayFieldStart("sessions");
      if (m.sessions() != null) {
        for (SessionSummary s : m.sessions()) {
          writeSessionEntry(g, s);
        }
      }
      g.writeEndArray();
    } else if (message instanceof SessionMessage.PollStarted m) {
      head(g, m);
      g.writeNumberField("pollId", m.pollId());
      stringField(g, "question", m.question());
      g.writeArrayFieldStart("options");
      for (String option : m.options()) g.writeString(option);
      g.writeEndArray();
      timestampField(g, "endsAt", m.endsAt());
      if (m.votes() != null) intArrayField(g, "votes", m.votes());
      if (m.totalVotes() != null) g.writeNumberField("totalVotes", m.totalVotes());
      if (m.hasVoted() != null) g.writeBooleanField("hasVoted", m.hasVoted());
      if (m.votedOptionIndex() != null && Boolean.TRUE.equals(m.hasVoted())) {
        g.writeNumberField("votedOptionIndex", m.votedOptionIndex());
      }
    } else if (message instanceof SessionMessage.PollUpdate m) {
      head(g, m);
      g.writeNumberField("pollId", m.pollId());
      intArrayField(g, "votes", m.votes());
      g.writeNumberField("totalVotes", m.totalVotes());
    } else if (message instanceof SessionMessage.PollEnded m) {
      head(g, m);
      g.writeNumberField("pollId", m.pollId());
      intArrayField(g, "results", m.results());
      g.writeNumberField("totalVotes", m.totalVotes());
      g.writeNumberField("winnerIndex", m.winnerIndex());
    } else if (message instanceof SessionMessage.AnnouncementReceived m) {
      head(g, m);
      stringField(g, "message", m.message());
      stringField(g, "djName", m.djName());
      timestampField(g, "timestamp", m.timestamp());
      timestampField(g, "endsAt", m.endsAt());
    } else if (message instanceof SessionMessage.AnnouncementCancelled m) {
      head(g, m);
    } else if (message instanceof SessionMessage.SessionExpired m) {
      head(g, m);
      stringField(g, "reason", m.reason());
    } else if (message instanceof SessionMessage.SessionEnded m) {
      head(g, m);
    } else {
      throw new IllegalArgumentException("no wire form for " + message.getClass().getName());
    }
  }

  // §6 SESSIONS_LIST entry: {sessionId, djName, startedAt, currentTrack?, listenerCount}
  private static void writeSessionEntry(JsonGenerator g, SessionSummary s) throws IOException {
    g.writeStartObject();
    g.writeStringField("sessionId", s.sessionId());
    stringField(g, "djName", s.djName());
    timestampField(g, "startedAt", s.startedAt());
    trackField(g, "currentTrack", s.currentTrack());
    g.writeNumberField("listenerCount", s.listenerCount());
    g.writeEndObject();
  }

  private static void stringField(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) g.writeStringField(name, value);
  }

  private static void timestampField(JsonGenerator g, String name, Instant value) throws IOException {
    if (value != null) g.writeStringField(name, Timestamps.format(value));
  }

  private static void intArrayField(JsonGenerator g, String name, List<Integer> values) throws IOException {
    g.writeArrayFieldStart(name);
    if (values != null) {
      for (Integer v : values) g.writeNumber(v == null ? 0 : v);
    }
    g.writeEndArray();
  }

  private static void trackField(JsonGenerator g, String name, TrackInfo t) throws IOException {
    if (t == null) return;
    g.writeObjectFieldStart(name);
    stringField(g, "title", t.title());
    stringField(g, "artist", t.artist());
    numberField(g, "bpm", t.bpm());
    stringField(g, "key", t.key());
    numberField(g, "energy", t.energy());
    numberField(g, "danceability", t.danceability());
    numberField(g, "brightness", t.brightness());
    numberField(g, "acousticness", t.acousticness());
    numberField(g, "groove", t.groove());
    g.writeEndObject();
  }

  private static void numberField(JsonGenerator g, String name, Double value) throws IOException {
    if (value == null || value.isNaN() || value.isInfinite()) return;
    g.writeFieldName(name);
    g.writeNumber(JsNumber.format(value)); // raw numeric text, as JavaScript would print it
  }
}
