// Likes made while offline (clients.md §2.3, §4): kept in localStorage per session, purged after 7 days, flushed as
// SEND_BULK_LIKE messages of at most 100 tracks and 10,240 characters each, at most 5 messages per minute.
import { SlidingWindow } from './limits.js';
import { trackKey } from './identity.js';

export const MAX_TRACKS = 100, MAX_CHARS = 10_240;
const KEEP_MS = 7 * 24 * 3600 * 1000;

// Splits tracks into bulk messages within both limits (length = JSON text length in UTF-16 units, as the server
// measures). `build(tracks)` returns the message object.
export function splitBulk(tracks, build) {
  const out = [];
  let batch = [];
  for (const t of tracks) {
    const candidate = batch.concat([t]);
    if (candidate.length > MAX_TRACKS || JSON.stringify(build(candidate)).length > MAX_CHARS) {
      if (batch.length === 0) continue; // a single track this large can never be sent
      out.push(batch);
      batch = [t];
      if (JSON.stringify(build(batch)).length > MAX_CHARS) batch = [];
    } else {
      batch = candidate;
    }
  }
  if (batch.length) out.push(batch);
  return out;
}

export class OfflineLikes {
  constructor(sessionId) {
    this.key = `floorcast_pending_likes_${sessionId}`;
    this.window = new SlidingWindow(5, 60_000);
    this.items = this.load();
  }
  load() {
    try {
      const now = Date.now();
      const list = JSON.parse(localStorage.getItem(this.key) || '[]');
      return Array.isArray(list) ? list.filter((i) => i && i.track && now - i.at < KEEP_MS) : [];
    } catch (e) { return []; }
  }
  save() { try { localStorage.setItem(this.key, JSON.stringify(this.items)); } catch (e) { /* memory only */ } }
  add(track) {
    const k = trackKey(track);
    if (!this.items.some((i) => trackKey(i.track) === k)) { this.items.push({ track, at: Date.now() }); this.save(); }
  }
  remove(track) {
    const k = trackKey(track);
    const before = this.items.length;
    this.items = this.items.filter((i) => trackKey(i.track) !== k);
    if (this.items.length !== before) this.save();
  }
  has(track) { const k = trackKey(track); return this.items.some((i) => trackKey(i.track) === k); }
  get size() { return this.items.length; }
  // The next batch, if one may go now (within the 5/min budget; the budget is spent only for the batch returned).
  takeBatch(build) {
    const [batch] = splitBulk(this.items.map((i) => i.track), build);
    return batch && this.window.take() ? batch : null;
  }
  waitMs() { return this.window.waitMs(); }
  delivered(tracks) {
    const keys = new Set(tracks.map(trackKey));
    this.items = this.items.filter((i) => !keys.has(trackKey(i.track)));
    this.save();
  }
  clear() { this.items = []; this.save(); }
}
