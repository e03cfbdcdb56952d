package floorcast.dj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HistoryFileReaderTest {
  static final String SPEC_EXAMPLE =
      "#EXTM3U\n"
          + "#EXTVDJ:<lastplaytime>1736972645</lastplaytime><artist>Delta Dreambox</artist><title>Queen of Loneliness</title>\n"
          + "C:\\Music\\Delta Dreambox - Queen of Loneliness.mp3\n"
          + "#EXTVDJ:<lastplaytime>1736972890</lastplaytime><artist>Rosie Carney</artist><title>Sway</title>\n"
          + "/Users/dj/Music/Rosie Carney - Sway.mp3\n";

  @Test
  void liveReadTakesTheLastEntryOfTheSpecExample() {
    VdjEntry e = HistoryFileReader.currentEntry(SPEC_EXAMPLE).orElseThrow();
    assertEquals(new VdjEntry(1736972890L, "Rosie Carney", "Sway", "/Users/dj/Music/Rosie Carney - Sway.mp3"), e);
  }

  @Test
  void bomCrlfAndTrailingWhiteSpaceAreIgnored() {
    String crlf = "\uFEFF" + SPEC_EXAMPLE.replace("\n", "\r\n") + "\r\n  \r\n";
    VdjEntry e = HistoryFileReader.currentEntry(crlf).orElseThrow();
    assertEquals("Rosie Carney", e.artist());
    assertEquals("Sway", e.title());
    assertEquals("/Users/dj/Music/Rosie Carney - Sway.mp3", e.path());
  }

  @Test
  void bomBeforeTheFirstEntryDoesNotHideIt() {
    String onlyOne = "\uFEFF#EXTVDJ:<lastplaytime>5</lastplaytime><artist>A</artist><title>T</title>\r\nC:\\a.mp3";
    assertEquals("A", HistoryFileReader.currentEntry(onlyOne).orElseThrow().artist());
  }

  @Test
  void noCurrentTrackWhenTheLineBeforeThePathIsNoEntry() {
    assertEquals(Optional.empty(), HistoryFileReader.currentEntry("#EXTM3U\nC:\\Music\\x.mp3\n"));
    assertEquals(Optional.empty(), HistoryFileReader.currentEntry("#EXTM3U\n"));
    assertEquals(Optional.empty(), HistoryFileReader.currentEntry(""));
  }

  @Test
  void entitiesAreDecodedOnce() {
    String line =
        "#EXTVDJ:<lastplaytime>1</lastplaytime><artist>Simon &amp; Garfunkel</artist>"
            + "<title>&lt;Live&gt; &quot;Boxer&quot; &#39;69&apos; &#x27;x&#x2F;y&nbsp;&#233;&#xE9; &amp;lt;</title>";
    VdjEntry e = HistoryFileReader.parseEntry(line, "p");
    assertEquals("Simon & Garfunkel", e.artist());
    assertEquals("<Live> \"Boxer\" '69' 'x/y\u00a0éé &lt;", e.title());
  }

  @Test
  void unknownAndMalformedEntitiesStayAsWritten() {
    assertEquals("R&B &bogus; &#xZZ; & done", HtmlEntities.decode("R&amp;B &bogus; &#xZZ; & done"));
  }

  @Test
  void missingOrEmptyTagsGetDefaults() {
    VdjEntry e = HistoryFileReader.parseEntry("#EXTVDJ:<artist>  </artist><lastplaytime>soon</lastplaytime>", "p");
    assertEquals(0L, e.lastPlayTime());
    assertEquals("Unknown", e.artist());
    assertEquals("Unknown", e.title());
  }

  @Test
  void otherTagsAreIgnoredAndTheFirstOccurrenceWins() {
    VdjEntry e =
        HistoryFileReader.parseEntry(
            "#EXTVDJ:<filesize>123</filesize><title>First</title><lastplaytime> 42 </lastplaytime><artist>A</artist><title>Second</title>",
            "p");
    assertEquals("First", e.title());
    assertEquals(42L, e.lastPlayTime());
  }

  @Test
  void newLineDetectionUsesPlayTimeWhenBothAreSetElseArtistAndTitle() {
    VdjEntry a = new VdjEntry(100, "A", "T", "p");
    assertTrue(new VdjEntry(101, "A", "T", "p").isDifferentPlayFrom(a), "same track played again");
    assertFalse(new VdjEntry(100, "A", "T", "other path").isDifferentPlayFrom(a));
    assertFalse(new VdjEntry(100, "B", "X", "p").isDifferentPlayFrom(a), "play time decides when both are set");
    assertTrue(new VdjEntry(0, "B", "T", "p").isDifferentPlayFrom(a), "no play time: artist differs");
    assertFalse(new VdjEntry(0, "A", "T", "p").isDifferentPlayFrom(new VdjEntry(0, "A", "T", "q")));
    assertTrue(a.isDifferentPlayFrom(null));
  }

  static String entry(long t, String artist, String title) {
    return "#EXTVDJ:<lastplaytime>" + t + "</lastplaytime><artist>" + artist + "</artist><title>" + title + "</title>\n"
        + "C:\\Music\\" + artist + " - " + title + ".mp3\n";
  }

  @Test
  void importKeepsTonightsSetBackToTheFirstGapOverThirtyMinutes() {
    long now = 1_800_000_000L;
    String file =
        "#EXTM3U\n"
            + entry(now - 3 * 86_400, "Old", "Three days ago")
            + entry(now - 7_200, "Earlier", "Before the gap")
            + entry(now - 7_200 + 60, "Earlier", "Still before")
            + entry(now - 3_000, "Set", "One")
            + entry(now - 1_300, "Set", "Two") // 28 min after One: same set
            + entry(now - 30, "Set", "Three");
    List<String> warnings = new ArrayList<>();
    List<VdjEntry> set = HistoryFileReader.tonightsSet(file, Instant.ofEpochSecond(now), warnings::add);
    assertEquals(List.of("One", "Two", "Three"), set.stream().map(VdjEntry::title).toList());
    assertEquals(List.of(), warnings);
  }

  @Test
  void importDropsEntriesOlderThan24Hours() {
    long now = 1_800_000_000L;
    String file = entry(now - 86_400 - 10, "Old", "Yesterday") + entry(now - 86_400 + 10, "New", "Just inside");
    List<VdjEntry> set = HistoryFileReader.tonightsSet(file, Instant.ofEpochSecond(now), w -> {});
    assertEquals(List.of("Just inside"), set.stream().map(VdjEntry::title).toList());
  }

  @Test
  void importSkipsBadLinesWithAWarning() {
    long now = 1_800_000_000L;
    String file =
        "\uFEFF#EXTM3U\r\n"
            + entry(now - 100, "A", "One").replace("\n", "\r\n")
            + "garbage line that is no entry\r\n"
            + "#EXTINF:123,Something else\r\n"
            + entry(now - 50, "B", "Two").replace("\n", "\r\n");
    List<String> warnings = new ArrayList<>();
    List<VdjEntry> set = HistoryFileReader.tonightsSet(file, Instant.ofEpochSecond(now), warnings::add);
    assertEquals(List.of("One", "Two"), set.stream().map(VdjEntry::title).toList());
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("#EXTINF"), warnings.toString());
    assertTrue(warnings.get(1).contains("garbage"), warnings.toString());
  }

  @Test
  void importReadsAtMost200Entries() {
    long now = 1_800_000_000L;
    StringBuilder file = new StringBuilder("#EXTM3U\n");
    for (int i = 0; i < 250; i++) file.append(entry(now - 250 * 60 + i * 60L, "A", "T" + i));
    List<VdjEntry> set = HistoryFileReader.tonightsSet(file.toString(), Instant.ofEpochSecond(now), w -> {});
    assertEquals(200, set.size());
    assertEquals("T50", set.get(0).title());
    assertEquals("T249", set.get(199).title());
  }
}
