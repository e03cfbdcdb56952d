// Entry point: /live → lobby, /live/<id> → the session (or its recap once ended), /live/<id>/recap → recap.
import { clientId } from './identity.js';
import { setConnection } from './dom.js';
import { LiveSocket } from './connection.js';
import { LobbyView } from './lobby-view.js';
import { SessionView } from './session-view.js';
import { showRecap } from './recap-view.js';

const root = document.getElementById('main');
const me = clientId();
const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent); // ["live", id?, "recap"?]
const targeted = parts[1] || null;

function status(state, detail) {
  if (state === 'live') setConnection('● Live', 'live');
  else if (state === 'connecting') setConnection(typeof detail === 'string' ? `${detail}…` : 'Connecting…', 'connecting');
  else setConnection(typeof detail === 'string' ? `${detail} — reconnecting…` : `Reconnecting${detail ? ` in ${detail} s` : ''}…`, 'lost');
}

if (targeted && parts[2] === 'recap') {
  setConnection('', 'idle');
  showRecap(root, targeted);
} else {
  let view;
  const socket = new LiveSocket({
    onOpen: () => (targeted ? view.opened() : view.opened(me)),
    onMessage: (m) => view.message(m, me),
    onStatus: status,
    onWake: () => view.woke(),
    onClose: () => { if (view.closed) view.closed(); },
  });
  const send = (m) => socket.send(m);
  if (targeted) {
    view = new SessionView(root, targeted, me, {
      send,
      isOpen: () => socket.isOpen(),
      stop: () => { socket.stop(); setConnection('', 'idle'); },
      showRecap: () => showRecap(root, targeted),
    });
  } else {
    view = new LobbyView(root, { send, join: (id) => location.assign(`/live/${encodeURIComponent(id)}`) });
  }
  socket.start();
}
