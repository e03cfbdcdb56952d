// Identifiers (clients.md §1, §4): the browser's clientId is kept in localStorage "pika_client_id".
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

export function base36(n) {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  let s = '';
  for (const b of bytes) s += BASE36[b % 36];
  return s;
}

export function clientId() {
  let id = null;
  try { id = localStorage.getItem('pika_client_id'); } catch (e) { /* storage blocked */ }
  if (id && id.length >= 8 && id.length <= 256) return id;
  id = `client_${Date.now()}_${base36(8)}`;
  try { localStorage.setItem('pika_client_id', id); } catch (e) { /* kept for this page only */ }
  return id;
}

export function messageId() {
  return `msg_${Date.now()}_${base36(7)}`;
}

// Track key of protocol.md §2: lower-case, trimmed, white-space runs collapsed; artist::title.
export function trackKey(track) {
  const norm = (s) => String(s || '').replace(/\s+/g, ' ').trim().toLowerCase();
  return `${norm(track.artist)}::${norm(track.title)}`;
}
