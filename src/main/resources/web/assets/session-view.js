// The live session page (clients.md §4): now playing, recent tracks, likes, tempo, poll, announcement, thanks,
// listener count, DJ status; seq rule per session; optimistic actions with messageId and NACK texts shown.
import { h, toast, countdown, clockTime, floatHearts, getJson } from './dom.js';
import { messageId, trackKey } from './identity.js';
import { SlidingWindow } from './limits.js';
import { OfflineLikes } from './offline-likes.js';

const LIKED_KEY = 'pika_liked_tracks_v2';
const TEMPO_LABELS = { slower: 'Slower', perfect: 'Perfect', faster: 'Faster' };

function wireTrack(t) {
  const out = { title: t.title, artist: t.artist };
  if (typeof t.bpm === 'number') out.bpm = t.bpm;
  if (typeof t.key === 'string' && t.key) out.key = t.key;
  return out;
}

function readStore(key, fallback) {
  try { const v = localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); } catch (e) { return fallback; }
}
function writeStore(key, value) {
  try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
}

export class SessionView {
  constructor(root, sessionId, clientId, { send, isOpen, stop, showRecap }) {
    Object.assign(this, { root, sessionId, clientId, send, isOpen, stop, showRecap });
    this.lastSeq = 0;
    this.djName = ''; this.djConnected = true; this.listeners = 0;
    this.current = null; this.localHistory = []; this.serverHistory = [];
    this.poll = null; this.announcement = null; this.ended = false; this.joined = false;
    this.pending = new Map();
    this.likeBudget = new SlidingWindow(10, 60_000);
    this.actionBudget = new SlidingWindow(30, 60_000);
    this.offline = new OfflineLikes(sessionId);
    this.bulkInFlight = false;
    this.liked = new Set((readStore(LIKED_KEY, {})[sessionId]) || []);
    this.subscribeId = null;
    setInterval(() => this.tickCountdowns(), 1000);
    this.loadHistory();
    this.render();
  }

  // ---- connection events -------------------------------------------------------------------------------
  opened() {
    this.subscribeId = messageId();
    this.send({ type: 'SUBSCRIBE', sessionId: this.sessionId, clientId: this.clientId, lastSeq: this.lastSeq, messageId: this.subscribeId });
  }

  // The connection is gone (closed, or given up as dead while still open): its replies will never come. Likes it
  // did not acknowledge join the offline queue (sent as a bulk like once the next SUBSCRIBE is acknowledged; the
  // server ignores the ones it already has); a bulk batch in flight is still queued and goes again.
  closed() {
    for (const p of this.pending.values()) if (p.like) this.offline.add(p.like);
    this.pending.clear();
    this.bulkInFlight = false;
    this.joined = false;
  }

  woke() { this.loadHistory(); }

  async loadHistory() {
    try {
      const r = await getJson(`/api/session/${encodeURIComponent(this.sessionId)}/history`);
      if (r.status === 200 && Array.isArray(r.body)) { this.serverHistory = r.body; this.alignCurrentStart(); this.render(); }
    } catch (e) { /* offline: local history only */ }
  }

  message(m) {
    if (m.type === 'ACK' || m.type === 'NACK') return this.reply(m);
    if (m.type === 'ERROR') { toast(m.message || 'Error'); return; }
    if (m.type === 'SESSIONS_LIST') {
      const me = (m.sessions || []).find((s) => s.sessionId === this.sessionId);
      if (me) { this.djName = me.djName || this.djName; if (typeof me.listenerCount === 'number') this.listeners = me.listenerCount; this.render(); }
      return;
    }
    if (m.sessionId && m.sessionId !== this.sessionId) return;
    if (typeof m.seq === 'number') { // protocol.md §1.5
      if (m.seq <= this.lastSeq) return;
      this.lastSeq = m.seq;
    }
    const handler = this[`on_${m.type}`];
    if (handler) { handler.call(this, m); this.render(); }
  }

  reply(m) {
    if (m.messageId === this.subscribeId) {
      if (m.type === 'ACK') { this.joined = true; this.flushOffline(); } else toast(m.error || 'Could not join the session');
      return;
    }
    const p = this.pending.get(m.messageId);
    if (!p) return;
    this.pending.delete(m.messageId);
    if (m.type === 'ACK') { if (p.ack) p.ack(); } else { if (p.nack) p.nack(m.error || 'Refused'); toast(m.error || 'Refused'); }
    this.render();
  }

  // ---- server messages (protocol.md §6) ---------------------------------------------------------------
  on_SESSION_STARTED(m) { if (m.djName) this.djName = m.djName; }
  on_DJ_STATUS(m) { this.djConnected = m.connected !== false; }
  on_LISTENER_COUNT(m) { this.listeners = m.count | 0; }
  on_NOW_PLAYING(m) {
    if (m.djName) this.djName = m.djName;
    if (this.current && trackKey(this.current) === trackKey(m.track)) { this.current = { ...this.current, ...m.track }; return; }
    this.pushHistory();
    this.current = { ...m.track, since: Date.now() };
    this.alignCurrentStart();
  }

  // A track that was already playing when the page opened started at its server play time, not when we saw it;
  // otherwise it would show twice in "Recent tracks" once the next track comes.
  alignCurrentStart() {
    const newest = this.serverHistory[0];
    if (this.current && newest && trackKey(newest) === trackKey(this.current)) {
      const t = Date.parse(newest.playedAt);
      if (t) this.current.since = t;
    }
  }
  on_METADATA_UPDATED(m) { if (this.current && trackKey(this.current) === trackKey(m.track)) this.current = { ...this.current, ...m.track }; }
  on_TRACK_STOPPED() { this.pushHistory(); this.current = null; }
  on_TEMPO_RESET() { if (this.current) writeStore(this.tempoKey(this.current), null); }
  on_LIKE_RECEIVED(m) { floatHearts(Math.max(1, m.count | 0)); }
  on_REACTION_RECEIVED(m) { floatHearts(Math.min(10, Math.max(1, m.count | 0)), '🙏'); }
  on_POLL_STARTED(m) {
    this.pollClosedShown = false;
    const n = (m.options || []).length;
    this.poll = {
      id: m.pollId, question: m.question, options: m.options || [], endsAt: m.endsAt || null,
      votes: Array.isArray(m.votes) ? m.votes.slice() : new Array(n).fill(0), total: m.totalVotes | 0,
      mine: m.hasVoted && typeof m.votedOptionIndex === 'number' ? m.votedOptionIndex : (this.poll && this.poll.id === m.pollId ? this.poll.mine : null),
      ended: false, winner: -1,
    };
  }
  on_POLL_UPDATE(m) { if (this.poll && this.poll.id === m.pollId) { this.poll.votes = m.votes.slice(); this.poll.total = m.totalVotes | 0; } }
  on_POLL_ENDED(m) {
    if (!this.poll || this.poll.id !== m.pollId) return;
    Object.assign(this.poll, { ended: true, votes: (m.results || []).slice(), total: m.totalVotes | 0, winner: m.winnerIndex });
    const id = m.pollId;
    setTimeout(() => { if (this.poll && this.poll.id === id && this.poll.ended) { this.poll = null; this.render(); } }, 10_000);
  }
  on_ANNOUNCEMENT_RECEIVED(m) {
    const isNew = !this.announcement || this.announcement.at !== m.timestamp || this.announcement.message !== m.message;
    this.announcement = { message: m.message, djName: m.djName || this.djName, endsAt: m.endsAt || null, at: m.timestamp };
    // vibrate once per announcement, not again when a re-subscribe replays it
    if (isNew && navigator.vibrate) { try { navigator.vibrate(200); } catch (e) { /* not allowed */ } }
  }
  on_ANNOUNCEMENT_CANCELLED() { this.announcement = null; }
  on_SESSION_EXPIRED(m) { toast(m.reason || 'Session expired'); }
  on_SESSION_ENDED(m) {
    if (typeof m.seq !== 'number' && !this.joined) { this.stop(); this.showRecap(); return; } // ended or unknown id
    this.ended = true; this.poll = null; this.announcement = null; this.stop();
  }

  pushHistory() {
    if (!this.current) return;
    this.localHistory.unshift({ artist: this.current.artist, title: this.current.title, playedAt: new Date(this.current.since || Date.now()).toISOString() });
    this.localHistory.length = Math.min(this.localHistory.length, 50);
  }

  // REST history merged with what this page saw live; same track within 10 s = one entry; newest first, max 50.
  recentTracks() {
    const all = [...this.localHistory, ...this.serverHistory]
      .map((t) => ({ ...t, time: Date.parse(t.playedAt) || 0 }))
      .sort((a, b) => b.time - a.time);
    const out = [];
    for (const t of all) {
      if (out.some((o) => trackKey(o) === trackKey(t) && Math.abs(o.time - t.time) <= 10_000)) continue;
      out.push(t);
      if (out.length >= 50) break;
    }
    if (this.current && out.length && trackKey(out[0]) === trackKey(this.current)) out.shift();
    return out;
  }

  // ---- user actions (messageId on each; client-side budgets) ------------------------------------------
  action(message, budget, { ack, nack, like } = {}) {
    if (budget && !budget.take()) {
      toast(budget === this.likeBudget ? 'Slow down: at most 10 likes per minute' : 'Slow down: at most 30 actions per minute');
      return false;
    }
    message.messageId = messageId();
    if (!this.send(message)) { toast('Not connected — try again in a moment'); return false; }
    this.pending.set(message.messageId, { ack, nack, like });
    return true;
  }

  saveLiked() {
    const all = readStore(LIKED_KEY, {});
    all[this.sessionId] = [...this.liked];
    writeStore(LIKED_KEY, all);
  }

  toggleLike(track) {
    const k = trackKey(track);
    const t = wireTrack(track);
    if (this.liked.has(k)) {
      if (this.offline.has(t)) { this.offline.remove(t); this.liked.delete(k); this.saveLiked(); this.render(); return; }
      this.liked.delete(k); this.saveLiked();
      const sent = this.action({ type: 'REMOVE_LIKE', sessionId: this.sessionId, clientId: this.clientId, payload: { track: t } }, this.actionBudget, {
        ack: () => toast('Removed from your likes', 2000),
        nack: () => { this.liked.add(k); this.saveLiked(); },
      });
      if (!sent) { this.liked.add(k); this.saveLiked(); }
    } else {
      if (!this.isOpen()) {
        if (!this.likeBudget.take()) { toast('Slow down: at most 10 likes per minute'); return; }
        this.liked.add(k); this.saveLiked(); this.offline.add(t);
        toast('Saved — it will be sent when you are back online', 2500);
        this.render();
        return;
      }
      this.liked.add(k); this.saveLiked();
      const sent = this.action({ type: 'SEND_LIKE', sessionId: this.sessionId, clientId: this.clientId, payload: { track: t } }, this.likeBudget, {
        nack: (error) => { if (error !== 'Already liked this track') { this.liked.delete(k); this.saveLiked(); } },
        like: t,
      });
      if (!sent) { this.liked.delete(k); this.saveLiked(); }
    }
    this.render();
  }

  // Offline likes as SEND_BULK_LIKE (≤ 100 tracks, ≤ 10,240 chars, ≤ 5 per minute), one batch in flight at a time.
  flushOffline() {
    if (this.bulkInFlight || this.offline.size === 0 || !this.isOpen() || this.ended) return;
    const build = (tracks) => ({ type: 'SEND_BULK_LIKE', sessionId: this.sessionId, clientId: this.clientId, payload: { tracks }, messageId: 'msg_0000000000000_xxxxxxx' });
    const batch = this.offline.takeBatch(build);
    if (!batch) { setTimeout(() => this.flushOffline(), this.offline.waitMs() + 50); return; }
    const m = build(batch);
    m.messageId = messageId();
    if (!this.send(m)) return;
    this.bulkInFlight = true;
    this.pending.set(m.messageId, {
      ack: () => { this.bulkInFlight = false; this.offline.delivered(batch); this.flushOffline(); },
      nack: (error) => {
        this.bulkInFlight = false;
        if (error.startsWith('Rate limit')) setTimeout(() => this.flushOffline(), 15_000);
        else { this.offline.delivered(batch); this.flushOffline(); } // the session cannot take these (invalid): next
      },
    });
  }

  tempoKey(track) { return `pika_tempo_${this.sessionId}_${trackKey(track)}`; }

  setTempo(pref) {
    if (!this.current) return;
    const key = this.tempoKey(this.current);
    const before = readStore(key, null);
    const next = before === pref ? 'clear' : pref; // re-tap clears (toggle off)
    writeStore(key, next === 'clear' ? null : next);
    const sent = this.action({ type: 'SEND_TEMPO_REQUEST', sessionId: this.sessionId, clientId: this.clientId, preference: next }, this.actionBudget, {
      nack: () => writeStore(key, before),
    });
    if (!sent) writeStore(key, before);
    this.render();
  }

  vote(index) {
    const p = this.poll;
    if (!p || p.ended || p.mine !== null) return;
    if (p.endsAt && Date.parse(p.endsAt) <= Date.now()) { toast('Poll not found or already ended'); return; }
    p.mine = index; p.votes[index] = (p.votes[index] | 0) + 1; p.total += 1;
    const undo = () => { if (this.poll === p && p.mine === index) { p.mine = null; p.votes[index] -= 1; p.total -= 1; } };
    if (!this.action({ type: 'VOTE_ON_POLL', pollId: p.id, optionIndex: index, clientId: this.clientId }, this.actionBudget, { nack: undo })) undo();
    this.render();
  }

  thank() {
    this.action({ type: 'SEND_REACTION', sessionId: this.sessionId, clientId: this.clientId, reaction: 'thank_you' }, this.actionBudget, {
      ack: () => toast('Thanks sent to the DJ', 2000),
    });
  }

  // ---- rendering ---------------------------------------------------------------------------------------
  tickCountdowns() {
    const now = Date.now();
    if (this.announcement && this.announcement.endsAt && Date.parse(this.announcement.endsAt) <= now) { this.announcement = null; this.render(); return; }
    for (const el of this.root.querySelectorAll('[data-ends]')) el.textContent = countdown(el.dataset.ends, now);
    if (this.poll && !this.poll.ended && this.poll.endsAt && Date.parse(this.poll.endsAt) <= now && !this.pollClosedShown) {
      this.pollClosedShown = true; this.render();
    }
  }

  likeButton(track, fid) {
    const liked = this.liked.has(trackKey(track));
    return h('button', {
      class: 'like', 'data-fid': fid, 'aria-pressed': liked ? 'true' : 'false',
      'aria-label': `${liked ? 'Unlike' : 'Like'} ${track.title} by ${track.artist}`,
      onclick: () => this.toggleLike(track),
    }, liked ? '♥' : '♡');
  }

  render() {
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.fid : null;
    this.root.replaceChildren(...(this.ended ? this.endedScreen() : this.liveScreen()));
    if (focused) { const el = this.root.querySelector(`[data-fid="${CSS.escape(focused)}"]`); if (el) el.focus(); }
  }

  endedScreen() {
    document.title = 'Session ended — Floorcast';
    return [h('section', { class: 'panel', 'aria-labelledby': 'ended-h' },
      h('h2', { id: 'ended-h' }, 'Session ended'),
      h('p', {}, `Thanks for dancing${this.djName ? ` with ${this.djName}` : ''}!`),
      h('p', {}, h('a', { href: `/live/${encodeURIComponent(this.sessionId)}/recap` }, 'See the recap of this set')))];
  }

  liveScreen() {
    document.title = `${this.djName || 'Live'} — Floorcast`;
    const out = [];
    out.push(h('div', { class: 'dj' },
      h('strong', {}, this.djName || 'Live set'),
      this.listeners > 0 ? h('span', { class: 'badge', 'aria-label': `${this.listeners} listening` }, `👥 ${this.listeners}`) : null));
    if (!this.djConnected) out.push(h('p', { class: 'away', role: 'status' }, 'DJ reconnecting…'));
    if (this.offline.size) out.push(h('p', { class: 'small' }, `${this.offline.size} like(s) waiting to be sent`));

    const a = this.announcement;
    if (a) {
      out.push(h('section', { class: 'panel announce', 'aria-label': 'Announcement', role: 'alert' },
        h('div', { class: 'small' }, `BOOTH: ${a.djName || 'DJ'}`),
        h('p', {}, a.message),
        h('div', { class: 'row' },
          a.endsAt ? h('span', { class: 'small' }, 'ends in ', h('span', { 'data-ends': a.endsAt }, countdown(a.endsAt))) : null,
          h('button', { 'data-fid': 'dismiss', onclick: () => { this.announcement = null; this.render(); } }, 'Dismiss'))));
    }

    const np = h('section', { class: 'panel', 'aria-labelledby': 'np-h' }, h('h2', { id: 'np-h', class: 'small' }, 'Now playing'));
    if (this.current) {
      const c = this.current;
      const pref = readStore(this.tempoKey(c), null);
      np.append(
        h('div', { class: 'row', style: 'justify-content:space-between;flex-wrap:nowrap' },
          h('div', { 'aria-live': 'polite' },
            h('p', { class: 'np-title' }, c.title),
            h('p', { class: 'np-artist' }, c.artist, typeof c.bpm === 'number' ? ` · ${Math.round(c.bpm)} BPM` : '', c.key ? ` · ${c.key}` : '')),
          this.likeButton(c, 'like-current')),
        h('div', { class: 'tempo', role: 'group', 'aria-label': 'Tempo feedback' },
          ...['slower', 'perfect', 'faster'].map((p) => h('button', {
            'data-fid': `tempo-${p}`, 'aria-pressed': pref === p ? 'true' : 'false', onclick: () => this.setTempo(p),
          }, TEMPO_LABELS[p]))));
    } else {
      np.append(h('p', { class: 'note' }, 'Waiting for the next track…'));
    }
    out.push(np);

    const p = this.poll;
    if (p) {
      const closed = p.ended || (p.endsAt && Date.parse(p.endsAt) <= Date.now());
      const list = h('ol', {});
      p.options.forEach((opt, i) => {
        const votes = p.votes[i] | 0;
        const pct = p.total ? Math.round((votes * 100) / p.total) : 0;
        const label = `${opt}${p.mine === i ? ' (your vote)' : ''}${p.ended && p.winner === i ? ' — winner' : ''}`;
        list.append(h('li', {}, h('button', {
          'data-fid': `vote-${i}`, class: p.mine === i ? 'mine' : '', disabled: closed || p.mine !== null,
          'aria-label': `${label}: ${votes} votes, ${pct} percent`, onclick: () => this.vote(i),
        }, h('span', { class: 'fill', style: `width:${pct}%` }), h('span', {}, label), h('span', {}, `${pct}%`))));
      });
      out.push(h('section', { class: 'panel poll', 'aria-labelledby': 'poll-h' },
        h('h2', { id: 'poll-h' }, p.question),
        list,
        h('p', { class: 'small' }, `${p.total} vote${p.total === 1 ? '' : 's'}`,
          p.ended ? ' · poll ended' : closed ? ' · closed' : p.endsAt ? h('span', {}, ' · ends in ', h('span', { 'data-ends': p.endsAt }, countdown(p.endsAt))) : '',
          p.mine !== null && !p.ended ? ' · your vote counted' : '')));
    }

    out.push(h('button', { class: 'primary', 'data-fid': 'thanks', onclick: () => this.thank() }, '🙏 Send thanks to the DJ'));

    const recent = this.recentTracks();
    out.push(h('section', { 'aria-labelledby': 'recent-h' }, h('h2', { id: 'recent-h' }, 'Recent tracks'),
      recent.length
        ? h('ul', { class: 'tracks' }, ...recent.map((t, i) => h('li', {},
          h('div', { class: 't' }, h('b', {}, t.title), h('span', {}, `${t.artist}${t.playedAt ? ` · ${clockTime(t.playedAt)}` : ''}`)),
          this.likeButton(t, `like-${trackKey(t)}-${i}`))))
        : h('p', { class: 'note' }, 'No tracks yet.')));
    return out;
  }
}
