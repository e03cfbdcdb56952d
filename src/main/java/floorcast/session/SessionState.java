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
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * The durable state of one session (data.md §1.2), rebuilt from snapshot + events. Immutable: every event yields a
 * new value. The per-dancer maps (plays, tempo votes, likes, listeners, poll votes) are persistent maps
 * ({@link PMap}): an event that changes one dancer's entry shares the rest of the structure (O(log n)), so a session
 * with 10,000 dancers does not copy 10,000 entries per like. They are declared as {@link Map} and serialised as
 * plain JSON objects (snapshots stay readable across this choice). Pruning (tempo votes older than their lifetime,
 * listener entries idle for an hour) happens while applying events, from the events' own timestamps, so replay is
 * deterministic; it scans the maps at most once per {@link #PRUNE_EVERY} of event time ({@code prunedAt}), and
 * readers filter by age anyway. De-duplication ids beyond their window are dropped on every DJ command.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "state")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SessionState.Unregistered.class, name = "unregistered"),
  @JsonSubTypes.Type(value = SessionState.Live.class, name = "live"),
  @JsonSubTypes.Type(value = SessionState.Ended.class, name = "ended")
})
public sealed interface SessionState extends JsonSerializable {

  /** Event-time interval between two scans for stale tempo votes and listener entries. */
  Duration PRUNE_EVERY = Duration.ofSeconds(30);

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

    public ActivePoll {
      voterOption = persistent(voterOption);
    }

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
      if (voterOption.containsKey(clientId)) return this;
      return new ActivePoll(
          id, question, options, endsAt, startedAt, trackArtist, trackTitle,
          ((PMap<String, Integer>) voterOption).plus(clientId, option));
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
      long seqReservedUpTo,
      Instant prunedAt)
      implements SessionState {

    public Live {
      plays = persistent(plays);
      tempoVotes = persistent(tempoVotes);
      likes = persistent(likes);
      listeners = persistent(listeners);
    }

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
          seqReservedUpTo,
          c.startedAt());
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

    /**
     * Tempo votes counting at {@code now}: age ≤ lifetime, inclusive (§10). A scan of every vote: the entity
     * aggregates with its {@link TempoTally} instead, which must give the same figures.
     */
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

    /**
     * Listener count of §8: connected, or seen within the sticky period. A scan of every entry: the entity counts
     * with its {@link ListenerTally} instead, which must give the same number.
     */
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
        return copy()
            .currentTrack(p.track())
            .plays(pmap(plays).plus(p.trackKey(), p.track()))
            .lastPlayKey(p.newPlay() ? p.trackKey() : lastPlayKey)
            .tempoVotes(Map.of())
            .lastBroadcastAt(p.at())
            .command(p.messageId(), p.at(), settings)
            .build();
      }
      if (event instanceof SessionEvent.TrackRepeated r) {
        return copy()
            .currentTrack(r.track())
            .plays(pmap(plays).plus(r.track().trackKey(), r.track()))
            .lastBroadcastAt(r.at())
            .command(r.messageId(), r.at(), settings)
            .build();
      }
      if (event instanceof SessionEvent.MetadataMerged m) {
        return copy()
            .currentTrack(m.track())
            .plays(pmap(plays).plus(m.trackKey(), m.track()))
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
      PMap<String, Set<String>> newLikes = pmap(likes);
      PMap<String, TempoVote> newVotes = pmap(tempoVotes);
      PMap<String, ListenerEntry> newListeners = pmap(listeners);
      ActivePoll newPoll = poll;
      Instant latest = null;
      for (SessionEvent.DancerAction a : actions) {
        latest = a.at();
        if (a instanceof SessionEvent.LikeAdded l) {
          Set<String> keys = new HashSet<>(newLikes.getOrDefault(l.clientId(), Set.of()));
          keys.add(l.trackKey());
          newLikes = newLikes.plus(l.clientId(), Collections.unmodifiableSet(keys));
        } else if (a instanceof SessionEvent.LikeRemoved l) {
          Set<String> keys = new HashSet<>(newLikes.getOrDefault(l.clientId(), Set.of()));
          keys.remove(l.trackKey());
          newLikes =
              keys.isEmpty()
                  ? newLikes.minus(l.clientId())
                  : newLikes.plus(l.clientId(), Collections.unmodifiableSet(keys));
        } else if (a instanceof SessionEvent.TempoVoteSet t) {
          newVotes = newVotes.plus(t.clientId(), new TempoVote(t.preference(), t.at()));
        } else if (a instanceof SessionEvent.TempoVoteCleared t) {
          newVotes = newVotes.minus(t.clientId());
        } else if (a instanceof SessionEvent.PollVoteCast v) {
          if (newPoll != null && newPoll.id() == v.pollId()) newPoll = newPoll.withVote(v.clientId(), v.optionIndex());
        } else if (a instanceof SessionEvent.ListenerJoined j) {
          newListeners = newListeners.plus(j.clientId(), new ListenerEntry(true, j.at()));
        } else if (a instanceof SessionEvent.ListenerLeft l) {
          newListeners = newListeners.plus(l.clientId(), new ListenerEntry(false, l.at()));
        }
      }
      if (latest == null) return this;
      Builder b = copy().poll(newPoll).likes(newLikes).tempoVotes(newVotes).listeners(newListeners);
      if (prunedAt == null || !latest.isBefore(prunedAt.plus(PRUNE_EVERY))) {
        b.tempoVotes(pruneVotes(newVotes, latest, settings))
            .listeners(pruneListeners(newListeners, latest, settings))
            .prunedAt(latest);
      }
      return b.build();
    }

    private static PMap<String, TempoVote> pruneVotes(
        PMap<String, TempoVote> votes, Instant now, SessionSettings settings) {
      Instant cutoff = now.minus(settings.tempoVoteLifetime());
      return pruned(votes, v -> v.at().isBefore(cutoff));
    }

    private static PMap<String, ListenerEntry> pruneListeners(
        PMap<String, ListenerEntry> ls, Instant now, SessionSettings settings) {
      Instant cutoff = now.minus(settings.listenerPurge());
      return pruned(ls, e -> !e.connected() && e.lastSeen().isBefore(cutoff));
    }

    /** The map without its stale entries (the same instance when nothing is stale). */
    private static <V> PMap<String, V> pruned(PMap<String, V> map, java.util.function.Predicate<V> stale) {
      List<String> gone = new ArrayList<>();
      for (Map.Entry<String, V> e : map.entrySet()) {
        if (stale.test(e.getValue())) gone.add(e.getKey());
      }
      return gone.isEmpty() ? map : map.minusAll(gone);
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
      private Instant prunedAt;

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
        prunedAt = s.prunedAt;
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

      Builder prunedAt(Instant v) {
        prunedAt = v;
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
            seq,
            prunedAt);
      }
    }
  }

  /** The persistent form of a map: itself if it already is one, an empty one for null (older snapshots). */
  private static <V> Map<String, V> persistent(Map<String, V> map) {
    if (map instanceof PMap<String, V> p) return p;
    return map == null || map.isEmpty() ? HashTreePMap.empty() : HashTreePMap.from(map);
  }

  /** A map field of this state seen as the persistent map it always is (see {@link #persistent}). */
  private static <V> PMap<String, V> pmap(Map<String, V> map) {
    return (PMap<String, V>) map;
  }
}
