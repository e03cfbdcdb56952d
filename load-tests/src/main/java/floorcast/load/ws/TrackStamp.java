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
    if (at < 0) return Long.MIN_VALUE;
    int i = at + MARKER.length();
    boolean negative = i < frame.length() && frame.charAt(i) == '-';
    if (negative) i++;
    long value = 0;
    int digits = 0;
    while (i < frame.length()) {
      char c = frame.charAt(i);
      if (c < '0' || c > '9') break;
      value = value * 10 + (c - '0');
      i++;
      digits++;
    }
    if (digits == 0) return Long.MIN_VALUE;
    return negative ? -value : value;
  }
}
