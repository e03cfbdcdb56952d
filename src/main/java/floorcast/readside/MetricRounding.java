package floorcast.readside;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Track analysis values are stored as integers rounded half-up; 0 stays 0 (data.md §2, rest.md §4.5). */
public final class MetricRounding {
  private MetricRounding() {}

  public static Integer halfUp(Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) return null;
    BigDecimal rounded = BigDecimal.valueOf(value).setScale(0, RoundingMode.HALF_UP);
    if (rounded.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) return null;
    return rounded.intValueExact();
  }
}
