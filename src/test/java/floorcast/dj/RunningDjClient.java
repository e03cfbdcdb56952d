package floorcast.dj;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Test helper: {@code floorcast dj …} running in the test JVM with a keyboard pipe and a captured screen. */
public final class RunningDjClient implements AutoCloseable {
  private final PipedOutputStream keyboard = new PipedOutputStream();
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  public final CompletableFuture<Integer> exit;

  public RunningDjClient(String... args) throws Exception {
    this(Map.of(), args);
  }

  public RunningDjClient(Map<String, String> env, String... args) throws Exception {
    PipedInputStream in = new PipedInputStream(keyboard);
    PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);
    exit =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return DjClient.run(args, env, in, out);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  public void type(String line) throws Exception {
    keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  public String output() {
    synchronized (screen) {
      return screen.toString(StandardCharsets.UTF_8);
    }
  }

  /** Closes the keyboard: end of input ends the set. */
  @Override
  public void close() throws Exception {
    keyboard.close();
  }
}
