// The lobby at /live (clients.md §4): live sessions from GET_SESSIONS (lobby watcher) and GET /api/sessions/active
// every 15 s; joins automatically when exactly one session is live.
import { h, getJson } from './dom.js';

export class LobbyView {
  constructor(root, { send, join }) {
    Object.assign(this, { root, send, join });
    this.sessions = null;
    this.autoJoined = false;
    this.poll();
    setInterval(() => { if (document.visibilityState === 'visible') this.poll(); }, 15_000);
    this.render();
  }

  opened(clientId) { this.send({ type: 'GET_SESSIONS', clientId }); }
  woke() { this.poll(); }

  async poll() {
    try {
      const r = await getJson('/api/sessions/active');
      if (r.status === 200 && r.body && Array.isArray(r.body.sessions)) this.show(r.body.sessions);
    } catch (e) { /* the WebSocket list still works */ }
  }

  message(m, clientId) {
    if (m.type === 'SESSIONS_LIST') this.show(m.sessions || []);
    else if (m.type === 'SESSION_STARTED' || m.type === 'SESSION_ENDED') this.send({ type: 'GET_SESSIONS', clientId });
  }

  show(sessions) {
    this.sessions = sessions;
    if (sessions.length === 1 && !this.autoJoined) { this.autoJoined = true; this.join(sessions[0].sessionId); return; }
    this.render();
  }

  render() {
    document.title = 'Live sets — Floorcast';
    const list = this.sessions;
    const body = list === null
      ? h('p', { class: 'note' }, 'Looking for live sets…')
      : list.length === 0
        ? h('p', { class: 'note' }, 'No DJ is live right now. This page updates by itself.')
        : h('ul', { class: 'sessions' }, ...list.map((s) => h('li', { class: 'panel' },
          h('a', { href: `/live/${encodeURIComponent(s.sessionId)}`, 'aria-label': `Join ${s.djName}` },
            h('div', { class: 'dj' }, h('strong', {}, s.djName), h('span', { class: 'badge' }, `👥 ${s.listenerCount | 0}`)),
            h('p', { class: 'np-artist' }, s.currentTrack ? `♪ ${s.currentTrack.title} — ${s.currentTrack.artist}` : 'Between tracks')))));
    this.root.replaceChildren(h('h2', {}, 'Live now'), body);
  }
}
