package floorcast.dj;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

/**
 * Metadata enrichment from VirtualDJ's {@code database.xml} (clients.md §6): a track's file path → BPM and key from
 * its {@code <Scan>} element. VirtualDJ stores the beat period in seconds, so BPM = 60 / value, rounded to one
 * decimal. Read once with a streaming parser (the file can hold tens of thousands of songs) into an index.
 */
public final class VdjDatabase {
  /** What the scan data says about one file; either value may be null. */
  public record Analysis(Double bpm, String key) {}

  private final Map<String, Analysis> byPath;

  private VdjDatabase(Map<String, Analysis> byPath) {
    this.byPath = byPath;
  }

  public static VdjDatabase empty() {
    return new VdjDatabase(Map.of());
  }

  /** The first existing {@code database.xml} of clients.md §6 under the home directory. */
  public static Optional<Path> locate(Path home) {
    for (Path folder :
        List.of(
            home.resolve("Documents").resolve("VirtualDJ"),
            home.resolve("Library").resolve("Application Support").resolve("VirtualDJ"),
            home.resolve("AppData").resolve("Local").resolve("VirtualDJ"))) {
      Path db = folder.resolve("database.xml");
      if (Files.isRegularFile(db)) return Optional.of(db);
    }
    return Optional.empty();
  }

  public static VdjDatabase read(Path file) throws Exception {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false); // no external entities from a file we do not control
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    Map<String, Analysis> index = new HashMap<>();
    try (InputStream in = Files.newInputStream(file)) {
      XMLStreamReader xml = factory.createXMLStreamReader(in);
      String song = null;
      while (xml.hasNext()) {
        int event = xml.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          String name = xml.getLocalName();
          if (name.equals("Song")) {
            song = xml.getAttributeValue(null, "FilePath");
          } else if (name.equals("Scan") && song != null) {
            Analysis a = new Analysis(bpm(xml.getAttributeValue(null, "Bpm")), blankToNull(xml.getAttributeValue(null, "Key")));
            if (a.bpm() != null || a.key() != null) index.put(song, a);
          }
        } else if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("Song")) {
          song = null;
        }
      }
      xml.close();
    }
    return new VdjDatabase(index);
  }

  static Double bpm(String beatPeriodSeconds) {
    if (beatPeriodSeconds == null) return null;
    try {
      double period = Double.parseDouble(beatPeriodSeconds.strip());
      if (!(period > 0) || Double.isInfinite(period)) return null;
      return Math.round(600.0 / period) / 10.0;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  public Optional<Analysis> lookup(String filePath) {
    return Optional.ofNullable(byPath.get(filePath));
  }

  public int size() {
    return byPath.size();
  }
}
