// Tiny element builder: text is always set as text (strings from the wire are data, never HTML).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'style') setStyle(el, v); // CSSOM, not the style attribute: the CSP allows no inline styles
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function setStyle(el, css) {
  for (const decl of String(css).split(';')) {
    const at = decl.indexOf(':');
    if (at > 0) el.style.setProperty(decl.slice(0, at).trim(), decl.slice(at + 1).trim());
  }
}

export function toast(text, ms = 4000) {
  const box = document.getElementById('toasts');
  const t = h('div', { class: 'toast' }, text);
  box.append(t);
  setTimeout(() => t.remove(), ms);
}

export function setConnection(text, state) {
  const el = document.getElementById('conn');
  el.textContent = text;
  el.dataset.state = state;
}

export function countdown(endsAt, now = Date.now()) {
  const s = Math.max(0, Math.round((Date.parse(endsAt) - now) / 1000));
  const mm = String(Math.floor((s % 3600) / 60)), ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function clockTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// Floating hearts for LIKE_RECEIVED (clients.md §2.4: at most 50 at once).
export function floatHearts(count, glyph = '♥') {
  const layer = document.getElementById('hearts');
  const n = Math.min(count, 50 - layer.childElementCount);
  for (let i = 0; i < n; i++) {
    const el = h('span', { class: 'heart', style: `left:${10 + Math.random() * 80}%;--dx:${Math.round(Math.random() * 80 - 40)}px;animation-delay:${i * 90}ms;color:#ff5c8a` }, glyph);
    el.addEventListener('animationend', () => el.remove());
    layer.append(el);
  }
}

export async function getJson(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json', 'X-Pika-Client': 'pika-web' }, cache: 'no-store' });
  return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : null };
}
