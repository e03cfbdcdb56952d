package floorcast.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny parser for the block-style YAML subset our manifests are written in (no YAML library is resolvable
 * offline at the BOM's version): block mappings, block sequences, plain and quoted scalars, {@code {}} and
 * {@code []}, comments, {@code ---} between documents. Anything outside the subset (anchors, tags, block scalars,
 * flow collections with content, tabs) fails loudly, so a lint over it can never pass by misreading a file.
 * Mappings become {@code Map<String,Object>}, sequences {@code List<Object>}, scalars {@code String}.
 */
final class YamlSubset {
  private static final Pattern KEY = Pattern.compile("^(\"[^\"]*\"|'[^']*'|[^\\s\"'#\\-\\[{][^:#]*?|-[^\\s:][^:#]*?):(?: (.*))?$");

  private record Line(int number, int indent, String text) {}

  private final List<Line> lines;
  private int pos;

  private YamlSubset(List<Line> lines) {
    this.lines = lines;
  }

  static List<Object> parseFile(Path file) throws IOException {
    List<Object> documents = new ArrayList<>();
    List<Line> current = new ArrayList<>();
    int number = 0;
    for (String raw : Files.readAllLines(file)) {
      number++;
      if (raw.indexOf('\t') >= 0) throw error(file, number, "tab character");
      String text = stripComment(raw).stripTrailing();
      if (text.isBlank()) continue;
      if (text.equals("---")) {
        if (!current.isEmpty()) documents.add(parseDocument(file, current));
        current = new ArrayList<>();
        continue;
      }
      int indent = text.length() - text.stripLeading().length();
      current.add(new Line(number, indent, text.strip()));
    }
    if (!current.isEmpty()) documents.add(parseDocument(file, current));
    return documents;
  }

  private static Object parseDocument(Path file, List<Line> lines) {
    YamlSubset parser = new YamlSubset(lines);
    try {
      Object value = parser.block(lines.get(0).indent());
      if (parser.pos != lines.size()) {
        throw new IllegalArgumentException("unexpected indentation at line " + lines.get(parser.pos).number());
      }
      return value;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private Object block(int indent) {
    Line first = lines.get(pos);
    return isItem(first.text()) ? sequence(indent) : mapping(indent);
  }

  private Map<String, Object> mapping(int indent) {
    Map<String, Object> map = new LinkedHashMap<>();
    while (pos < lines.size() && lines.get(pos).indent() == indent && !isItem(lines.get(pos).text())) {
      Line line = lines.get(pos);
      Matcher m = KEY.matcher(line.text());
      if (!m.matches()) throw new IllegalArgumentException("not a 'key: value' line " + line.number());
      String key = unquote(m.group(1).strip(), line.number());
      String rest = m.group(2) == null ? "" : m.group(2).strip();
      pos++;
      Object value;
      if (!rest.isEmpty()) {
        value = scalar(rest, line.number());
      } else if (pos < lines.size() && lines.get(pos).indent() > indent) {
        value = block(lines.get(pos).indent());
      } else if (pos < lines.size() && lines.get(pos).indent() == indent && isItem(lines.get(pos).text())) {
        value = sequence(indent);
      } else {
        value = null;
      }
      if (map.containsKey(key)) {
        throw new IllegalArgumentException("duplicate key '" + key + "' at line " + line.number());
      }
      map.put(key, value);
    }
    return map;
  }

  private List<Object> sequence(int indent) {
    List<Object> list = new ArrayList<>();
    while (pos < lines.size() && lines.get(pos).indent() == indent && isItem(lines.get(pos).text())) {
      Line line = lines.get(pos);
      String rest = line.text().equals("-") ? "" : line.text().substring(2).strip();
      if (rest.isEmpty()) {
        pos++;
        if (pos >= lines.size() || lines.get(pos).indent() <= indent) {
          throw new IllegalArgumentException("empty sequence item at line " + line.number());
        }
        list.add(block(lines.get(pos).indent()));
      } else if (KEY.matcher(rest).matches()) {
        // "- key: value" opens a mapping whose keys sit where "key" starts
        int itemIndent = indent + line.text().indexOf(rest);
        lines.set(pos, new Line(line.number(), itemIndent, rest));
        list.add(mapping(itemIndent));
      } else {
        pos++;
        list.add(scalar(rest, line.number()));
      }
    }
    return list;
  }

  private static boolean isItem(String text) {
    return text.equals("-") || text.startsWith("- ");
  }

  private static Object scalar(String text, int number) {
    if (text.equals("{}")) return new LinkedHashMap<String, Object>();
    if (text.equals("[]")) return new ArrayList<>();
    char c = text.charAt(0);
    if ("&*!|>{[%@`".indexOf(c) >= 0) {
      throw new IllegalArgumentException("unsupported YAML construct '" + text + "' at line " + number);
    }
    return unquote(text, number);
  }

  private static String unquote(String text, int number) {
    if (text.startsWith("\"") || text.startsWith("'")) {
      char q = text.charAt(0);
      if (text.length() < 2 || text.charAt(text.length() - 1) != q || text.indexOf(q, 1) != text.length() - 1) {
        throw new IllegalArgumentException("unsupported quoting at line " + number);
      }
      String inner = text.substring(1, text.length() - 1);
      if (q == '"' && inner.indexOf('\\') >= 0) {
        throw new IllegalArgumentException("escape sequences are not supported, line " + number);
      }
      return inner;
    }
    return text;
  }

  /** Removes a comment: '#' at the start or after a space, outside quotes. */
  private static String stripComment(String raw) {
    char quote = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        if (i == 0 || raw.charAt(i - 1) == ' ') quote = c;
      } else if (c == '#' && (i == 0 || raw.charAt(i - 1) == ' ')) {
        return raw.substring(0, i);
      }
    }
    return raw;
  }

  private static IllegalArgumentException error(Path file, int line, String what) {
    return new IllegalArgumentException(file + ": " + what + " at line " + line);
  }

  // ---- navigation helpers for tests

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node, String... path) {
    Object v = at(node, path);
    if (!(v instanceof Map)) throw new AssertionError("not a mapping at " + String.join(".", path) + ": " + v);
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node, String... path) {
    Object v = at(node, path);
    if (!(v instanceof List)) throw new AssertionError("not a sequence at " + String.join(".", path) + ": " + v);
    return (List<Object>) v;
  }

  static String string(Object node, String... path) {
    Object v = at(node, path);
    if (!(v instanceof String s)) throw new AssertionError("not a scalar at " + String.join(".", path) + ": " + v);
    return s;
  }

  static Object at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> m) || !m.containsKey(key)) {
        throw new AssertionError("missing " + String.join(".", path) + " (at '" + key + "')");
      }
      current = m.get(key);
    }
    return current;
  }
}
