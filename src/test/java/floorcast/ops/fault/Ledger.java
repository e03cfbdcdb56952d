package floorcast.ops.fault;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The client ledger of reliability.md §5: one CSV line {@code messageId,sessionId,type,ackedAtMillis} per ACKed
 * state-changing command, flushed per line so it survives a crash of the load client itself.
 */
final class Ledger implements AutoCloseable {
  record Entry(String messageId, String sessionId, String type, long ackedAtMillis) {}

  private final BufferedWriter out;
  private final List<Entry> entries = new ArrayList<>();

  Ledger(Path file) throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  synchronized void acked(String messageId, String sessionId, String type) {
    Entry e = new Entry(messageId, sessionId, type, System.currentTimeMillis());
    entries.add(e);
    try {
      out.write(e.messageId + "," + e.sessionId + "," + e.type + "," + e.ackedAtMillis);
      out.newLine();
      out.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
