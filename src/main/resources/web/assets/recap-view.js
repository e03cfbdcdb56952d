// Recap of an ended set from GET /api/session/<id>/recap (rest.md §4.4).
import { h, getJson, clockTime } from './dom.js';

export async function showRecap(root, sessionId) {
  root.replaceChildren(h('p', { class: 'note' }, 'Loading the recap…'));
  let r;
  try {
    r = await getJson(`/api/session/${encodeURIComponent(sessionId)}/recap`);
  } catch (e) {
    root.replaceChildren(h('p', { class: 'note', role: 'alert' }, 'Could not load the recap. Check your connection and reload.'));
    return;
  }
  if (r.status === 404) {
    document.title = 'Session not found — Floorcast';
    root.replaceChildren(h('h2', {}, 'Session not found'), h('p', {}, h('a', { href: '/live' }, 'See who is live now')));
    return;
  }
  if (r.status !== 200 || !r.body) {
    root.replaceChildren(h('p', { class: 'note', role: 'alert' }, 'The recap is not available right now.'));
    return;
  }
  const x = r.body;
  document.title = `Recap: ${x.djName} — Floorcast`;
  const tempo = (t) => (t ? `↓${t.slower} ✓${t.perfect} ↑${t.faster}` : '');
  root.replaceChildren(
    h('h2', {}, `Recap: ${x.djName}`),
    h('p', { class: 'small' }, `${new Date(x.startedAt).toLocaleDateString()} · ${clockTime(x.startedAt)}–${clockTime(x.endedAt)} · ${x.trackCount} tracks · ${x.totalLikes} likes`),
    x.tracks && x.tracks.length
      ? h('table', {},
        h('caption', { class: 'small', style: 'text-align:left' }, 'Tracks in playing order'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Track'), h('th', { scope: 'col' }, 'BPM'), h('th', { scope: 'col' }, '♥'), h('th', { scope: 'col' }, 'Tempo'))),
        h('tbody', {}, ...x.tracks.map((t) => h('tr', {},
          h('td', {}, t.position),
          h('td', {}, h('b', {}, t.title), h('br'), h('span', { class: 'small' }, `${t.artist} · ${clockTime(t.playedAt)}${t.key ? ` · ${t.key}` : ''}`)),
          h('td', {}, typeof t.bpm === 'number' ? Math.round(t.bpm) : '–'),
          h('td', {}, t.likes | 0),
          h('td', { class: 'small' }, tempo(t.tempo))))))
      : h('p', { class: 'note' }, 'No tracks were played in this set.'),
    h('p', {}, h('a', { href: '/live' }, 'See who is live now')));
}
