package floorcast.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** rest.md §7. */
class SlugsTest {
  @Test
  void specExamples() {
    assertEquals("dj-smooth", Slugs.slugify("DJ Smooth"));
    assertEquals("dj-andre", Slugs.slugify("DJ André"));
    assertEquals("sarah-b", Slugs.slugify("Sarah B."));
    assertEquals("john-doe", Slugs.slugify("John   Doe"));
  }

  @Test
  void underscoresAndWhitespaceRunsBecomeOneDash() {
    assertEquals("a-b-c", Slugs.slugify("a_b__c"));
    assertEquals("a-b", Slugs.slugify("a _\t\n_ b"));
    assertEquals("a-b", Slugs.slugify("a\u00A0\u3000b"), "JavaScript white space");
  }

  @Test
  void dashesAreCollapsedAndStripped() {
    assertEquals("a-b", Slugs.slugify("--a---b--"));
    assertEquals("a-b", Slugs.slugify("a - b"));
    assertEquals("", Slugs.slugify(" -_- "));
  }

  @Test
  void diacriticsAreRemovedOtherScriptsDropped() {
    assertEquals("zoe-angstrom", Slugs.slugify("Zoë Ångström"));
    assertEquals("creme-brulee", Slugs.slugify("Crème Brûlée"));
    assertEquals("dj", Slugs.slugify("DJ 東京"));
    assertEquals("", Slugs.slugify("🎧🎧"));
    // ß has no decomposition; ø neither: both dropped, as in JavaScript
    assertEquals("strae-sren", Slugs.slugify("Straße Søren"));
  }

  @Test
  void lowerCasingIsLocaleIndependent() {
    assertEquals("istanbul", Slugs.slugify("ISTANBUL"));
    assertEquals("istanbul", Slugs.slugify("İstanbul"));
  }
}
