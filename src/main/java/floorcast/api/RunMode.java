package floorcast.api;

import java.util.Locale;

/** {@code PIKA_ENV} / {@code floorcast.env} (spec README "Configuration"). */
public enum RunMode {
  PRODUCTION,
  DEVELOPMENT,
  TEST;

  /** Unknown values are a configuration error: a typo must not silently mean "development". */
  public static RunMode parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "production":
        return PRODUCTION;
      case "development":
        return DEVELOPMENT;
      case "test":
        return TEST;
      default:
        throw new IllegalArgumentException(
            "floorcast.env (PIKA_ENV) must be production, development or test, not '" + value + "'");
    }
  }
}
