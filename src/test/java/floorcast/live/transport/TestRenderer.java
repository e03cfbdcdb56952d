package floorcast.live.transport;

import floorcast.session.SessionMessage;

/** A stand-in wire codec for transport tests (the real one belongs to the protocol package). */
final class TestRenderer {
  private TestRenderer() {}

  static String render(SessionMessage m) {
    String extra = "";
    if (m instanceof SessionMessage.NowPlaying np && np.track() != null) extra = ",\"title\":\"" + np.track().title() + "\"";
    if (m instanceof SessionMessage.ListenerCount lc) extra = ",\"count\":" + lc.count();
    return "{\"type\":\"" + m.getClass().getSimpleName() + "\",\"sessionId\":\"" + m.sessionId() + "\",\"seq\":" + m.seq() + extra + "}";
  }
}
