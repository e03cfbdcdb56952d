package floorcast.live.codec;

import java.math.BigDecimal;

/**
 * Numbers as JavaScript's {@code JSON.stringify} writes them (old clients compare and display them): integral
 * values without a fraction ({@code 96.0} → {@code 96}), others in their shortest decimal form ({@code 96.4}).
 */
final class JsNumber {
  private JsNumber() {}

  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e21) {
      return Long.toString((long) value);
    }
    double abs = Math.abs(value);
    if (abs >= 1e-3 && abs < 1e7) {
      return Double.toString(value); // plain notation in this range, same digits as JavaScript
    }
    // JavaScript switches to exponent notation only below 1e-6; Java already below 1e-3
    String plain = new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    if (abs >= 1e-6) return plain;
    String java = Double.toString(value); // e.g. 1.5E-7 → 1.5e-7
    String mantissa = java.substring(0, java.indexOf('E'));
    if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
    return mantissa + "e" + java.substring(java.indexOf('E') + 1);
  }
}
