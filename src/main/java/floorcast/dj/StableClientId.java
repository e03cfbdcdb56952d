package floorcast.dj;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The DJ client's {@code clientId}, created once and kept in {@code <state-dir>/client-id} (clients.md §5) so an
 * anonymous session can be resumed after a reconnect or a restart of the client.
 */
public final class StableClientId {
  private StableClientId() {}

  public static String loadOrCreate(Path stateDir, long nowMillis) throws IOException {
    Path file = stateDir.resolve("client-id");
    if (Files.isRegularFile(file)) {
      String id = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (id.length() >= 8 && id.length() <= 256) return id;
    }
    Files.createDirectories(stateDir);
    String id = WireIds.clientId(nowMillis);
    Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
    return id;
  }
}
