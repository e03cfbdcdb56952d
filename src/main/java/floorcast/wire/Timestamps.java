package floorcast.wire;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps exactly as JavaScript's {@code Date.prototype.toISOString()} writes them (spec README):
 * {@code YYYY-MM-DDTHH:mm:ss.sssZ}, always three fraction digits and {@code Z}.
 */
public final class Timestamps {
  private static final DateTimeFormatter JS_ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  public static String format(Instant instant) {
    return JS_ISO.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }
}
