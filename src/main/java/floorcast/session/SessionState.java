package floorcast.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import floorcast.serialization.JsonSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The durable state of one session (data.md §1.2), rebuilt from snapshot + events. Immutable: every event yields a
 * new value (maps are copied only where an event changes them). Pruning (tempo votes older than their lifetime,
 * de-duplication ids beyond their window, listener entries idle for an hour) happens while applying events, from
 * the events' own timestamps, so replay is deterministic.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "state")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SessionState.Unregistered.class, name = "unregistered"),
  @JsonSubTypes.Type(value = SessionState.Live.class, name = "live"),
  @JsonSubTypes.Type(value = SessionState.Ended.class, name = "ended")
})
public sealed interface SessionState extends JsonSerializable {

  /** End of the last reserved block of {@code seq} values (protocol.md §1.5). */
  long seqReservedUpTo();

  SessionState apply(SessionEvent event, SessionSettings settings);

  static SessionState empty() {
    return new Unregistered(0);
  }

  /** Never registered on this server. */
  record Unregistered(long seqReservedUpTo) implements SessionState {
    @Override
    public SessionState apply(SessionEvent event, SessionSettings settings) {
      if (event instanceof SessionEvent.SeqReserved r) return new Unregistered(Math.max(seqReservedUpTo, r.upTo()));
      if (event instanceof SessionEvent.SessionCreated c) {
        return Live.created(c, seqReservedUpTo);
      }
      return this;
    }
  }

  /** One client's tempo vote (protocol.md §10). */
  record TempoVote(String preference, Instant at) {}

  /** A listener entry (protocol.md §8): connected per the journal, and the time of the last join or leave. */
  record ListenerEntry(boolean connected, Instant lastSeen) {}

  /** The active announcement (protocol.md §12). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ActiveAnnouncement(String message, Instant timestamp, Instant endsAt) {}

  /** The active poll with its votes (protocol.md §11). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ActivePoll(
      long id,
      String question,
      List<String> options,
      Instant endsAt,
      Instant startedAt,
      String trackArtist,
      String trackTitle,
      Map<String, Integer> voterOption) {

    public List<Integer> tallies() {
      int[] counts = new int[options.size()];
      for (int option : voterOption.values()) counts[option]++;
      List<Integer> out = new ArrayList<>(counts.length);
      for (int c : counts) out.add(c);
      return out;
    }

    public int totalVotes() {
      return voterOption.size();
    }

    /** Index of the first maximum, or -1 without votes (§11.2). */
    public static int winnerIndex(List<Integer> tallies) {
      int best = -1;
      int max = 0;
      for (int i = 0; i < tallies.size(); i++) {
        if (tallies.get(i) > max) {
          max = tallies.get(i);
          best = i;
        }
      }
      return best;
    }

    /** Votes are refused from {@code endsAt} on. */
    public boolean openAt(Instant now) {
      return endsAt == null || now.isBefore(endsAt);
    }

    ActivePoll withVote(String clientId, int option) {
      Map<String, Integer> votes = new HashMap<>(voterOption);
      votes.putIfAbsent(clientId, option);
      return new ActivePoll(
          id, question, options, endsAt, startedAt, trackArtist, trackTitle, Collections.unmodifiableMap(votes));
    }
  }

  /** A session that ended (final). The de-duplication window stays (§3.0 step 3). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Ended(
      String sessionId,
      String djName,
      Long ownerUserId,
      Instant startedAt,
      Instant endedAt,
      String reason,
      Map<String, Instant> dedup,
      long seqReservedUpTo)
      implements SessionState {
    @Override
    public SessionState apply(SessionEvent event, SessionSettings settings) {
      if (event instanceof SessionEvent.SeqReserved r) {
        return new Ended(
            sessionId, djName, ownerUserId, startedAt, endedAt, reason, dedup, Math.max(seqReservedUpTo, r.upTo()));
      }
      return this;
    }
  }

  /** A live session (DJ connected, or away within the grace period). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Live(
      String sessionId,
      String djName,
      Long ownerUserId,
      String ownerClientId,
      boolean connectionBound,
      Instant startedAt,
      Instant lastActivityAt,
      Instant lastBroadcastAt,
      String djConnectionId,
      Instant djAwaySince,
      TrackInfo currentTrack,
      Map<String, TrackInfo> plays,
      String lastPlayKey,
      Map<String, TempoVote> tempoVotes,
      Map<String, Set<String>> likes,
      ActivePoll poll,
      ActiveAnnouncement announcement,
      Map<String, ListenerEntry> listeners,
      Map<String, Instant> dedup,
      long seqReservedUpTo)
      implements SessionState {

    static Live created(SessionEvent.SessionCreated c, long seqReservedUpTo) {
      return new Live(
          c.sessionId(),
          c.djName(),
          c.ownerUserId(),
          c.ownerClientId(),
          c.connectionBound(),
          c.startedAt(),
          c.startedAt(),
          null,
          c.connectionId(),
          null,
          null,
          Map.of(),
          null,
          Map.of(),
          Map.of(),
          null,
          null,
          Map.of(),
          Map.of(),
          seqReservedUpTo);
    }

    public boolean djConnected() {
      return djAwaySince == null && djConnectionId != null;
    }

    /** The grace deadline while the DJ is away (§7.3). */
    public Instant graceDeadline(SessionSettings settings) {
      return djAwaySince == null ? null : djAwaySince.plus(settings.djGrace());
    }

    /** When the stale rule of §7.4 first holds. */
    public Instant staleAt(SessionSettings settings) {
      Instant idleRule = max(lastActivityAt.plus(settings.staleIdle()), startedAt.plus(settings.staleAge()));
      Instant ageRule = startedAt.plus(settings.maxAge());
      return idleRule.isBefore(ageRule) ? idleRule : ageRule;
    }

    public boolean isDuplicate(String messageId, Instant now, SessionSettings settings) {
      if (messageId == null) return false;
      Instant at = dedup.get(messageId);
      return at != null && !at.plus(settings.dedupWindow()).isBefore(now);
    }

    /** Tempo votes counting at {@code now}: age ≤ lifetime, inclusive (§10). */
    public int[] tempoAggregate(Instant now, SessionSettings settings) {
      int faster = 0;
      int slower = 0;
      int perfect = 0;
      for (TempoVote v : tempoVotes.values()) {
        if (Duration.between(v.at(), now).compareTo(settings.tempoVoteLifetime()) > 0) continue;
        switch (v.preference()) {
          case "faster" -> faster++;
          case "slower" -> slower++;
          default -> perfect++;
        }
      }
      return new int[] {faster, slower, perfect, faster + slower + perfect};
    }

    /** Listener count of §8: connected, or seen within the sticky period. */
    public int listenerCount(Instant now, SessionSettings settings) {
      int n = 0;
      for (ListenerEntry e : listeners.values()) {
        if (e.connected() || !e.lastSeen().plus(settings.listenerSticky()).isBefore(now)) n++;
      }
      return n;
    }

    /** The next instant at which a sticky listener entry ages out (count may change), or null. */
    public Instant nextListenerExpiry(Instant now, SessionSettings settings) {
      Instant next = null;
      for (ListenerEntry e : listeners.values()) {
        if (e.connected()) continue;
        Instant exp = e.lastSeen().plus(settings.listenerSticky()).plusMillis(1);
        if (exp.isAfter(now) && (next == null || exp.isBefore(next))) next = exp;
      }
      return next;
    }

    /** The next instant at which a tempo vote stops counting, or null. */
    public Instant nextTempoExpiry(Instant now, SessionSettings settings) {
      Instant next = null;
      for (TempoVote v : tempoVotes.values()) {
        Instant exp = v.at().plus(settings.tempoVoteLifetime()).plusMillis(1);
        if (exp.isAfter(now) && (next == null || exp.isBefore(next))) next = exp;
      }
      return next;
    }

    public boolean hasLiked(String clientId, String trackKey) {
      Set<String> keys = likes.get(clientId);
      return keys != null && keys.contains(trackKey);
    }

    @Override
    public SessionState apply(SessionEvent event, SessionSettings settings) {
      if (event instanceof SessionEvent.SeqReserved r) {
        return copy().seq(Math.max(seqReservedUpTo, r.upTo())).build();
      }
      if (event instanceof SessionEvent.DjAttached a) {
        return copy().djConnectionId(a.connectionId()).djAwaySince(null).activity(a.at()).build();
      }
      if (event instanceof SessionEvent.DjDetached d) {
        return copy().djConnectionId(null).djAwaySince(d.at()).build();
      }
      if (event instanceof SessionEvent.TrackPlayed p) {
        Map<String, TrackInfo> newPlays = new HashMap<>(plays);
        newPlays.put(p.trackKey(), p.track());
        return copy()
            .currentTrack(p.track())
            .plays(Collections.unmodifiableMap(newPlays))
            .lastPlayKey(p.newPlay() ? p.trackKey() : lastPlayKey)
            .tempoVotes(Map.of())
            .lastBroadcastAt(p.at())
            .command(p.messageId(), p.at(), settings)
            .build();
      }
      if (event instanceof SessionEvent.TrackRepeated r) {
        Map<String, TrackInfo> newPlays = new HashMap<>(plays);
        newPlays.put(r.track().trackKey(), r.track());
        return copy()
            .currentTrack(r.track())
            .plays(Collections.unmodifiableMap(newPlays))
            .lastBroadcastAt(r.at())
            .command(r.messageId(), r.at(), settings)
            .build();
      }
      if (event instanceof SessionEvent.MetadataMerged m) {
        Map<String, TrackInfo> newPlays = new HashMap<>(plays);
        newPlays.put(m.trackKey(), m.track());
        return copy()
            .currentTrack(m.track())
            .plays(Collections.unmodifiableMap(newPlays))
            .command(m.messageId(), m.at(), settings)
            .build();
      }
      if (event instanceof SessionEvent.TrackStopped s) {
        return copy().currentTrack(null).tempoVotes(Map.of()).command(s.messageId(), s.at(), settings).build();
      }
      if (event instanceof SessionEvent.TempoTallied) {
        return copy().tempoVotes(Map.of()).build();
      }
      if (event instanceof SessionEvent.PollStarted p) {
        ActivePoll newPoll =
            new ActivePoll(
                p.pollId(), p.question(), List.copyOf(p.options()), p.endsAt(), p.at(), p.trackArtist(),
                p.trackTitle(), Map.of());
        return copy().poll(newPoll).command(p.messageId(), p.at(), settings).build();
      }
      if (event instanceof SessionEvent.PollEnded e) {
        Builder b = copy().poll(null);
        // the timer's end and a session end are not DJ commands: they do not refresh lastActivityAt
        if (e.messageId() != null || "ended".equals(e.reason()) || "cancelled".equals(e.reason())) {
          b.command(e.messageId(), e.at(), settings);
        }
        return b.build();
      }
      if (event instanceof SessionEvent.AnnouncementSet a) {
        return copy()
            .announcement(new ActiveAnnouncement(a.message(), a.timestamp(), a.endsAt()))
            .command(a.messageId(), a.timestamp(), settings)
            .build();
      }
      if (event instanceof SessionEvent.AnnouncementCleared c) {
        Builder b = copy().announcement(null);
        if ("cancelled".equals(c.reason())) b.command(c.messageId(), c.at(), settings);
        return b.build();
      }
      if (event instanceof SessionEvent.SessionEnded e) {
        Map<String, Instant> window = pruneDedup(withId(dedup, e.messageId(), e.at()), e.at(), settings);
        return new Ended(sessionId, djName, ownerUserId, startedAt, e.at(), e.reason(), window, seqReservedUpTo);
      }
      if (event instanceof SessionEvent.DancerActionsRecorded batch) {
        return applyDancerActions(batch.actions(), settings);
      }
      return this;
    }

    private Live applyDancerActions(List<SessionEvent.DancerAction> actions, SessionSettings settings) {
      Map<String, Set<String>> newLikes = null;
      Map<String, TempoVote> newVotes = null;
      Map<String, ListenerEntry> newListeners = null;
      ActivePoll newPoll = poll;
      Instant latest = null;
      for (SessionEvent.DancerAction a : actions) {
        latest = a.at();
        if (a instanceof SessionEvent.LikeAdded l) {
          if (newLikes == null) newLikes = new HashMap<>(likes);
          Set<String> keys = new HashSet<>(newLikes.getOrDefault(l.clientId(), Set.of()));
          keys.add(l.trackKey());
          newLikes.put(l.clientId(), Collections.unmodifiableSet(keys));
        } else if (a instanceof SessionEvent.LikeRemoved l) {
          if (newLikes == null) newLikes = new HashMap<>(likes);
          Set<String> keys = new HashSet<>(newLikes.getOrDefault(l.clientId(), Set.of()));
          keys.remove(l.trackKey());
          if (keys.isEmpty()) newLikes.remove(l.clientId());
          else newLikes.put(l.clientId(), Collections.unmodifiableSet(keys));
        } else if (a instanceof SessionEvent.TempoVoteSet t) {
          if (newVotes == null) newVotes = new HashMap<>(tempoVotes);
          newVotes.put(t.clientId(), new TempoVote(t.preference(), t.at()));
        } else if (a instanceof SessionEvent.TempoVoteCleared t) {
          if (newVotes == null) newVotes = new HashMap<>(tempoVotes);
          newVotes.remove(t.clientId());
        } else if (a instanceof SessionEvent.PollVoteCast v) {
          if (newPoll != null && newPoll.id() == v.pollId()) newPoll = newPoll.withVote(v.clientId(), v.optionIndex());
        } else if (a instanceof SessionEvent.ListenerJoined j) {
          if (newListeners == null) newListeners = new HashMap<>(listeners);
          newListeners.put(j.clientId(), new ListenerEntry(true, j.at()));
        } else if (a instanceof SessionEvent.ListenerLeft l) {
          if (newListeners == null) newListeners = new HashMap<>(listeners);
          newListeners.put(l.clientId(), new ListenerEntry(false, l.at()));
        }
      }
      if (latest == null) return this;
      Builder b = copy().poll(newPoll);
      if (newLikes != null) b.likes(Collections.unmodifiableMap(newLikes));
      Map<String, TempoVote> votes = newVotes != null ? newVotes : tempoVotes;
      b.tempoVotes(pruneVotes(votes, latest, settings));
      Map<String, ListenerEntry> ls = newListeners != null ? newListeners : listeners;
      b.listeners(pruneListeners(ls, latest, settings));
      return b.build();
    }

    private static Map<String, TempoVote> pruneVotes(
        Map<String, TempoVote> votes, Instant now, SessionSettings settings) {
      Instant cutoff = now.minus(settings.tempoVoteLifetime());
      return pruned(votes, v -> v.at().isBefore(cutoff));
    }

    private static Map<String, ListenerEntry> pruneListeners(
        Map<String, ListenerEntry> ls, Instant now, SessionSettings settings) {
      Instant cutoff = now.minus(settings.listenerPurge());
      return pruned(ls, e -> !e.connected() && e.lastSeen().isBefore(cutoff));
    }

    /** An unmodifiable map without the stale entries; copied only when something is stale. */
    private static <V> Map<String, V> pruned(Map<String, V> map, java.util.function.Predicate<V> stale) {
      boolean any = false;
      for (V v : map.values()) {
        if (stale.test(v)) {
          any = true;
          break;
        }
      }
      if (!any) return map instanceof HashMap ? Collections.unmodifiableMap(map) : map;
      Map<String, V> out = new HashMap<>(map);
      out.values().removeIf(stale);
      return Collections.unmodifiableMap(out);
    }

    static Map<String, Instant> withId(Map<String, Instant> window, String messageId, Instant at) {
      if (messageId == null) return window;
      LinkedHashMap<String, Instant> out = new LinkedHashMap<>(window);
      out.remove(messageId);
      out.put(messageId, at);
      return out;
    }

    /** Ids older than the window, or beyond the newest N, are dropped (data.md §5). */
    static Map<String, Instant> pruneDedup(Map<String, Instant> window, Instant now, SessionSettings settings) {
      LinkedHashMap<String, Instant> out = new LinkedHashMap<>(window);
      Instant cutoff = now.minus(settings.dedupWindow());
      Iterator<Map.Entry<String, Instant>> it = out.entrySet().iterator();
      int excess = out.size() - settings.dedupMaxIds();
      while (it.hasNext()) {
        Map.Entry<String, Instant> e = it.next();
        if (excess > 0 || e.getValue().isBefore(cutoff)) {
          it.remove();
          excess--;
        } else {
          break;
        }
      }
      return Collections.unmodifiableMap(out);
    }

    private static Instant max(Instant a, Instant b) {
      return a.isAfter(b) ? a : b;
    }

    Builder copy() {
      return new Builder(this);
    }

    /** Copy-with helper for the event handler (keeps the record immutable). */
    static final class Builder {
      private final Live s;
      private Instant lastActivityAt;
      private Instant lastBroadcastAt;
      private String djConnectionId;
      private Instant djAwaySince;
      private TrackInfo currentTrack;
      private Map<String, TrackInfo> plays;
      private String lastPlayKey;
      private Map<String, TempoVote> tempoVotes;
      private Map<String, Set<String>> likes;
      private ActivePoll poll;
      private ActiveAnnouncement announcement;
      private Map<String, ListenerEntry> listeners;
      private Map<String, Instant> dedup;
      private long seq;

      Builder(Live s) {
        this.s = s;
        lastActivityAt = s.lastActivityAt;
        lastBroadcastAt = s.lastBroadcastAt;
        djConnectionId = s.djConnectionId;
        djAwaySince = s.djAwaySince;
        currentTrack = s.currentTrack;
        plays = s.plays;
        lastPlayKey = s.lastPlayKey;
        tempoVotes = s.tempoVotes;
        likes = s.likes;
        poll = s.poll;
        announcement = s.announcement;
        listeners = s.listeners;
        dedup = s.dedup;
        seq = s.seqReservedUpTo;
      }

      Builder activity(Instant at) {
        lastActivityAt = at;
        return this;
      }

      /** An accepted DJ command: refresh lastActivityAt and remember its messageId (§3.0 step 5–6). */
      Builder command(String messageId, Instant at, SessionSettings settings) {
        lastActivityAt = at;
        dedup = pruneDedup(withId(dedup, messageId, at), at, settings);
        return this;
      }

      Builder lastBroadcastAt(Instant v) {
        lastBroadcastAt = v;
        return this;
      }

      Builder djConnectionId(String v) {
        djConnectionId = v;
        return this;
      }

      Builder djAwaySince(Instant v) {
        djAwaySince = v;
        return this;
      }

      Builder currentTrack(TrackInfo v) {
        currentTrack = v;
        return this;
      }

      Builder plays(Map<String, TrackInfo> v) {
        plays = v;
        return this;
      }

      Builder lastPlayKey(String v) {
        lastPlayKey = v;
        return this;
      }

      Builder tempoVotes(Map<String, TempoVote> v) {
        tempoVotes = v;
        return this;
      }

      Builder likes(Map<String, Set<String>> v) {
        likes = v;
        return this;
      }

      Builder poll(ActivePoll v) {
        poll = v;
        return this;
      }

      Builder announcement(ActiveAnnouncement v) {
        announcement = v;
        return this;
      }

      Builder listeners(Map<String, ListenerEntry> v) {
        listeners = v;
        return this;
      }

      Builder seq(long v) {
        seq = v;
        return this;
      }

      Live build() {
        return new Live(
            s.sessionId,
            s.djName,
            s.ownerUserId,
            s.ownerClientId,
            s.connectionBound,
            s.startedAt,
            lastActivityAt,
            lastBroadcastAt,
            djConnectionId,
            djAwaySince,
            currentTrack,
            plays,
            lastPlayKey,
            tempoVotes,
            likes,
            poll,
            announcement,
            listeners,
            dedup,
            seq);
      }
    }
  }
}
