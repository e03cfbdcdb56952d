package floorcast.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import floorcast.serialization.CborSerializable;
import floorcast.serialization.JsonSerializable;

/**
 * A track as the protocol carries it (protocol.md §2 TrackInfo). Optional values are {@code null} when absent.
 * Values are already validated and trimmed by the gateway codec.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrackInfo(
    String title,
    String artist,
    Double bpm,
    String key,
    Double energy,
    Double danceability,
    Double brightness,
    Double acousticness,
    Double groove) implements JsonSerializable, CborSerializable {

  public static TrackInfo of(String title, String artist) {
    return new TrackInfo(title, artist, null, null, null, null, null, null, null);
  }

  /** The normalised track key (protocol.md §2). */
  public String trackKey() {
    return TrackKey.of(artist, title);
  }

  /**
   * Metadata merge (protocol.md §3.2 step 2, §3.3): fields present in {@code update} replace the stored ones,
   * absent fields are kept, artist/title keep this track's spelling.
   */
  public TrackInfo mergedWith(TrackInfo update) {
    return new TrackInfo(
        title,
        artist,
        update.bpm != null ? update.bpm : bpm,
        update.key != null ? update.key : key,
        update.energy != null ? update.energy : energy,
        update.danceability != null ? update.danceability : danceability,
        update.brightness != null ? update.brightness : brightness,
        update.acousticness != null ? update.acousticness : acousticness,
        update.groove != null ? update.groove : groove);
  }

  /** Only title, artist and bpm: the shape of {@code currentTrack} in {@code /api/sessions/active}. */
  public TrackInfo titleArtistBpm() {
    return new TrackInfo(title, artist, bpm, null, null, null, null, null, null);
  }
}
