package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest lint is only as good as its parser: structure is read right and unsupported YAML is refused. */
class YamlSubsetTest {
  @TempDir Path dir;

  List<Object> parse(String yaml) throws Exception {
    Path f = dir.resolve("m.yaml");
    Files.writeString(f, yaml);
    return YamlSubset.parseFile(f);
  }

  @Test
  void readsMappingsSequencesAndDocuments() throws Exception {
    List<Object> docs =
        parse(
            "# comment\n"
                + "kind: A\n"
                + "spec:\n"
                + "  ports:\n"
                + "    - name: http # trailing comment\n"
                + "      containerPort: 3001\n"
                + "    - name: \"management\"\n"
                + "  args:\n"
                + "  - serve\n"
                + "  - 'x: y'\n"
                + "  empty: {}\n"
                + "---\n"
                + "kind: B\n");
    assertEquals(2, docs.size());
    Object a = docs.get(0);
    assertEquals(
        Map.of("name", "http", "containerPort", "3001"), YamlSubset.list(a, "spec", "ports").get(0));
    assertEquals("management", YamlSubset.string(YamlSubset.list(a, "spec", "ports").get(1), "name"));
    assertEquals(List.of("serve", "x: y"), YamlSubset.list(a, "spec", "args"));
    assertEquals(Map.of(), YamlSubset.map(a, "spec", "empty"));
    assertEquals("B", YamlSubset.string(docs.get(1), "kind"));
  }

  @Test
  void refusesWhatItDoesNotUnderstand() {
    assertThrows(IllegalArgumentException.class, () -> parse("a: &anchor 1\n"));
    assertThrows(IllegalArgumentException.class, () -> parse("a: |\n  text\n"));
    assertThrows(IllegalArgumentException.class, () -> parse("a: [1, 2]\n"));
    assertThrows(IllegalArgumentException.class, () -> parse("a:\n\tb: 1\n"));
    assertThrows(IllegalArgumentException.class, () -> parse("a: 1\na: 2\n"));
    assertThrows(IllegalArgumentException.class, () -> parse("a:\n    b: 1\n  c: 2\n"));
  }
}
