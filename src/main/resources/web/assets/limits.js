// Sliding-window budget, as the server counts (protocol.md §16): at most `max` events in any `windowMs`.
export class SlidingWindow {
  constructor(max, windowMs) { this.max = max; this.windowMs = windowMs; this.times = []; }
  prune(now) { while (this.times.length && now - this.times[0] >= this.windowMs) this.times.shift(); }
  canTake(now = Date.now()) { this.prune(now); return this.times.length < this.max; }
  take(now = Date.now()) { if (!this.canTake(now)) return false; this.times.push(now); return true; }
  // Milliseconds until one more event fits.
  waitMs(now = Date.now()) { this.prune(now); return this.times.length < this.max ? 0 : this.times[0] + this.windowMs - now; }
}
