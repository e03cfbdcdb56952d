package floorcast.load.ws;

/**
 * Latency stamp carried in a track title, so no protocol change is needed: the DJ puts its intended send time
 * (System.nanoTime, CLOCK_MONOTONIC, system-wide on Linux and so comparable across processes on one host) into
 * the title; each title is unique, so every NOW_PLAYING is a fresh track (protocol.md §3.2 step 3).
 */
final class TrackStamp {
  static final String MARKER = "#t=";

  private TrackStamp() {}

  static String title(int sessionIndex, long broadcastNumber, long intendedNanos) {
    return "Load s" + sessionIndex + " n" + broadcastNumber + " " + MARKER + intendedNanos;
  }

  /** The stamp of the first marker in a received frame, or Long.MIN_VALUE when there is none. */
  static long parse(String frame) {
    int at = frame.indexOf(MARKER);
    return at < 0 ? Long.MIN_VALUE : JsonFields.integerAt(frame, at + MARKER.length(), Long.MIN_VALUE);
  }
}
