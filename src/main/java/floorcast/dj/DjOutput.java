package floorcast.dj;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Where the command-line client tells the DJ what happens: time-stamped lines, warnings marked. */
public interface DjOutput {
  void info(String line);

  void warn(String line);

  static DjOutput console(PrintStream out) {
    DateTimeFormatter hhmmss = DateTimeFormatter.ofPattern("HH:mm:ss");
    return new DjOutput() {
      @Override
      public synchronized void info(String line) {
        out.println(LocalTime.now().format(hhmmss) + "  " + line);
        out.flush();
      }

      @Override
      public synchronized void warn(String line) {
        out.println(LocalTime.now().format(hhmmss) + "  ! " + line);
        out.flush();
      }
    };
  }
}
