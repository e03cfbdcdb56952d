// Reconnecting WebSocket of clients.md §4: URL from the page origin; reconnect after a random 1–2 s, ×1.3 per
// attempt, at most 10 s, unlimited; connect timeout 5 s; PING every 10 s while visible; 30 s without PONG → reconnect;
// back online / visible after > 5 s hidden / wake-up from sleep → hard reconnect.
const PING_MS = 10_000, PONG_LIMIT_MS = 30_000, CONNECT_TIMEOUT_MS = 5_000, MAX_DELAY_MS = 10_000;

export class LiveSocket {
  constructor({ onOpen, onMessage, onStatus, onWake, onClose }) {
    this.onOpen = onOpen; this.onMessage = onMessage; this.onStatus = onStatus; this.onWake = onWake || (() => {});
    this.onClose = onClose || (() => {}); // a connection is gone: its unanswered messages will never be answered
    this.url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
    this.ws = null; this.delay = 0; this.retryTimer = null; this.lastPongAt = 0; this.lastTick = Date.now(); this.hiddenAt = 0;
    this.stopped = false;
  }

  start() {
    document.addEventListener('visibilitychange', () => this.visibility());
    addEventListener('online', () => this.reconnectNow('Back online'));
    addEventListener('pageshow', (e) => { if (e.persisted) this.reconnectNow('Resuming'); });
    setInterval(() => this.tick(), PING_MS);
    this.connect();
  }

  stop() { this.stopped = true; clearTimeout(this.retryTimer); if (this.ws) this.ws.close(1000); }

  isOpen() { return !!this.ws && this.ws.readyState === WebSocket.OPEN; }

  send(message) {
    if (!this.isOpen()) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.onStatus('connecting');
    let ws;
    try { ws = new WebSocket(this.url); } catch (e) { this.scheduleRetry(); return; }
    this.ws = ws;
    const timeout = setTimeout(() => { if (ws.readyState !== WebSocket.OPEN) ws.close(); }, CONNECT_TIMEOUT_MS);
    ws.onopen = () => {
      clearTimeout(timeout);
      if (ws !== this.ws) return;
      this.delay = 0; this.lastPongAt = Date.now();
      this.onStatus('live');
      this.onOpen();
    };
    ws.onmessage = (e) => {
      if (ws !== this.ws) return;
      let m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      if (!m || typeof m !== 'object') return;
      if (m.type === 'PONG') { this.lastPongAt = Date.now(); return; }
      this.onMessage(m);
    };
    ws.onclose = () => {
      clearTimeout(timeout);
      if (ws !== this.ws) return;
      this.ws = null;
      this.onClose();
      this.scheduleRetry();
    };
  }

  scheduleRetry() {
    if (this.stopped) return;
    this.delay = this.delay === 0 ? 1000 + Math.random() * 1000 : Math.min(MAX_DELAY_MS, this.delay * 1.3);
    this.onStatus('lost', Math.round(this.delay / 1000));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), this.delay);
  }

  reconnectNow(why) {
    if (this.stopped) return;
    const old = this.ws; this.ws = null;
    if (old) { old.onclose = null; try { old.close(); } catch (e) { /* already closed */ } this.onClose(); }
    this.delay = 0;
    if (why) this.onStatus('connecting', why);
    this.connect();
  }

  tick() {
    const now = Date.now();
    const slept = now - this.lastTick > PING_MS * 2.5; // timers stopped: the phone slept
    this.lastTick = now;
    if (slept) { this.onWake(true); this.reconnectNow('Waking up'); return; }
    if (document.visibilityState !== 'visible' || !this.isOpen()) return;
    if (now - this.lastPongAt > PONG_LIMIT_MS) { this.onStatus('lost', 'Signal lost'); this.reconnectNow(); return; }
    this.send({ type: 'PING' });
  }

  visibility() {
    const now = Date.now();
    if (document.visibilityState === 'hidden') { this.hiddenAt = now; return; }
    const away = this.hiddenAt ? now - this.hiddenAt : 0;
    this.hiddenAt = 0;
    if (away > 60_000) this.onWake(true);
    if (away > 5_000 || !this.isOpen()) this.reconnectNow();
    else { this.lastPongAt = now; this.onOpen(); } // re-send SUBSCRIBE / GET_SESSIONS
  }
}
