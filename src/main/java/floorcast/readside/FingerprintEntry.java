package floorcast.readside;

import floorcast.session.TrackKey;

/**
 * One entry of a fingerprint sync (rest.md §4.5) as received: numbers as sent (null when absent or not a number),
 * {@code key} null when absent or not a string. {@link #usable()} applies the ranges.
 */
public record FingerprintEntry(
    String artist,
    String title,
    Double bpm,
    String key,
    Double energy,
    Double danceability,
    Double brightness,
    Double acousticness,
    Double groove) {

  public static final int MAX_KEY_LENGTH = 10;

  /** The values that may be stored, rounded half-up; all null when nothing is usable. */
  public record Usable(
      Integer bpm, String key, Integer energy, Integer danceability, Integer brightness, Integer acousticness, Integer groove) {
    public boolean any() {
      return bpm != null || key != null || energy != null || danceability != null || brightness != null
          || acousticness != null || groove != null;
    }
  }

  public boolean identified() {
    return artist != null && title != null && StoredText.storable(artist) && StoredText.storable(title);
  }

  public String trackKey() {
    return TrackKey.of(artist, title);
  }

  public Usable usable() {
    return new Usable(
        inRange(bpm, 40, 300),
        key != null && key.length() <= MAX_KEY_LENGTH && StoredText.storable(key) ? key : null,
        inRange(energy, 0, 100),
        inRange(danceability, 0, 100),
        inRange(brightness, 0, 100),
        inRange(acousticness, 0, 100),
        inRange(groove, 0, 100));
  }

  private static Integer inRange(Double v, double min, double max) {
    if (v == null || v.isNaN() || v < min || v > max) return null;
    return MetricRounding.halfUp(v);
  }
}
