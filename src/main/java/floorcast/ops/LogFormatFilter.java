package floorcast.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Locale;

/**
 * Lets an appender write only when {@code LOG_FORMAT} selects it (logback.xml: one text and one JSON appender,
 * both attached, each with this filter). Unset or unknown values select {@code text}, so a typo never silences
 * the logs; the choice is read once at start.
 */
public final class LogFormatFilter extends Filter<ILoggingEvent> {
  private String format = "text";
  private boolean selected;

  /** The format this appender writes: {@code text} or {@code json}. */
  public void setFormat(String format) {
    this.format = format.toLowerCase(Locale.ROOT);
  }

  @Override
  public void start() {
    String wanted = System.getenv("LOG_FORMAT");
    String effective =
        wanted != null && wanted.trim().equalsIgnoreCase("json") ? "json" : "text";
    selected = effective.equals(format);
    super.start();
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    return selected ? FilterReply.NEUTRAL : FilterReply.DENY;
  }
}
