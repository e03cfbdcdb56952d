package floorcast.load.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A fixed pool of plausible tracks (artist, title, analysis values) the seeded sessions draw from, so several
 * sessions play the same tracks and top-tracks groups real likes. Deterministic for a given seed.
 */
final class TrackCatalogue {
  private static final String[] FIRST = {"Delta", "Rosie", "Nina", "Otis", "Lykke", "Hozier", "Agnes", "Billie",
      "Marvin", "Etta", "Sade", "Tom", "Florence", "James", "Aurora", "Cigarettes", "London", "Zella", "Bon", "Lana"};
  private static final String[] LAST = {"Dreambox", "Carney", "Simone", "Redding", "Li", "Obel", "James", "Day",
      "Gaye", "Waits", "Blake", "Welch", "Vincent", "Day", "Grammar", "After Sex", "Iver", "Norah", "Rey", "Holly"};
  private static final String[] WORD = {"Sway", "Queen", "Loneliness", "River", "Slow", "Honey", "Midnight", "Blue",
      "Gravity", "Falling", "Ocean", "Ghost", "Velvet", "Fire", "Stay", "Home", "Shadow", "Golden", "Rain", "Heart",
      "Moon", "Wild", "Silence", "Dance", "Tender", "Storm", "Glass", "Echo", "Bloom", "Drift"};
  private static final String[] KEYS = {"Am", "C", "G", "Em", "5A", "8B", "Dm", "F#m", "Bb", "11A"};

  record Track(String artist, String title, int bpm, String key, int energy, int danceability, int brightness,
      int acousticness, int groove) {
    ObjectNode json() {
      ObjectNode t = SeedSocket.JSON.createObjectNode();
      t.put("title", title).put("artist", artist).put("bpm", bpm).put("key", key).put("energy", energy)
          .put("danceability", danceability).put("brightness", brightness).put("acousticness", acousticness)
          .put("groove", groove);
      return t;
    }

    /** The like payload's track: title and artist only, as the web client sends it. */
    ObjectNode ref() {
      ObjectNode t = SeedSocket.JSON.createObjectNode();
      t.put("title", title).put("artist", artist);
      return t;
    }
  }

  final List<Track> tracks;

  TrackCatalogue(int size, long seed) {
    Random r = new Random(seed);
    List<Track> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      String artist = FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)];
      String title = WORD[r.nextInt(WORD.length)] + " " + WORD[r.nextInt(WORD.length)] + " (No. " + i + ")";
      list.add(new Track(artist, title, 60 + r.nextInt(80), KEYS[r.nextInt(KEYS.length)], r.nextInt(101),
          r.nextInt(101), r.nextInt(101), r.nextInt(101), r.nextInt(101)));
    }
    this.tracks = List.copyOf(list);
  }
}
