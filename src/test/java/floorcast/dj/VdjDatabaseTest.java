package floorcast.dj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VdjDatabaseTest {
  @TempDir Path home;

  @Test
  void bpmIsSixtyOverTheBeatPeriodRoundedToOneDecimal() {
    assertEquals(120.0, VdjDatabase.bpm("0.5"));
    assertEquals(96.4, VdjDatabase.bpm("0.622406"));
    assertNull(VdjDatabase.bpm("0"));
    assertNull(VdjDatabase.bpm("fast"));
    assertNull(VdjDatabase.bpm(null));
  }

  @Test
  void scanDataIsFoundByFilePathInTheFirstExistingFolder() throws Exception {
    Path folder = home.resolve("Library").resolve("Application Support").resolve("VirtualDJ");
    Files.createDirectories(folder);
    Files.writeString(
        folder.resolve("database.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VirtualDJ_Database Version=\"8\">\n"
            + " <Song FilePath=\"/Users/dj/Music/Rosie Carney - Sway.mp3\" FileSize=\"1\">\n"
            + "  <Tags Author=\"Rosie Carney\" Title=\"Sway\" />\n  <Scan Version=\"801\" Bpm=\"0.681818\" Key=\"C#m\" />\n </Song>\n"
            + " <Song FilePath=\"/Users/dj/Music/no-scan.mp3\"><Tags Title=\"x\"/></Song>\n"
            + " <Song FilePath=\"/Users/dj/Music/key-only.mp3\"><Scan Bpm=\"\" Key=\"8A\"/></Song>\n"
            + "</VirtualDJ_Database>\n",
        StandardCharsets.UTF_8);
    Path located = VdjDatabase.locate(home).orElseThrow();
    VdjDatabase db = VdjDatabase.read(located);
    assertEquals(2, db.size());
    assertEquals(Optional.of(new VdjDatabase.Analysis(88.0, "C#m")), db.lookup("/Users/dj/Music/Rosie Carney - Sway.mp3"));
    assertEquals(Optional.of(new VdjDatabase.Analysis(null, "8A")), db.lookup("/Users/dj/Music/key-only.mp3"));
    assertTrue(db.lookup("/Users/dj/Music/no-scan.mp3").isEmpty());
  }

  @Test
  void externalEntitiesAreNotResolved() throws Exception {
    Path folder = home.resolve("Documents").resolve("VirtualDJ");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("database.xml"),
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><VirtualDJ_Database>"
            + "<Song FilePath=\"a.mp3\"><Scan Bpm=\"0.5\" Key=\"Am\"/></Song></VirtualDJ_Database>", StandardCharsets.UTF_8);
    VdjDatabase db = VdjDatabase.read(VdjDatabase.locate(home).orElseThrow());
    assertEquals(Optional.of(new VdjDatabase.Analysis(120.0, "Am")), db.lookup("a.mp3"));
  }
}
