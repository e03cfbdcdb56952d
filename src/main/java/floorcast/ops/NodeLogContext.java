package floorcast.ops;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Puts the node's cluster address into the logging context as property {@code node}: the JSON encoder emits it as
 * a field on every line and the text pattern prints it ({@code %property{node}}), so lines from three local nodes
 * or many pods can be told apart. One value per JVM (tests with several nodes in one JVM show the last one).
 */
public final class NodeLogContext {
  private NodeLogContext() {}

  public static void tag(String node) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) context.putProperty("node", node);
  }
}
