package io.faaspot.bench.sim;

import java.util.Locale;

/**
 * How the simulation writes numbers: in the root locale (a decimal point whatever the machine's
 * locale, so that the committed report comes out the same everywhere), and durations in a unit read
 * at a glance.
 */
final class ReportText {
  private ReportText() {}

  /** A duration in seconds as the tables show it: ms under a second, hours from an hour. */
  static String seconds(double s) {
    if (s == 0) {
      return "0";
    }
    if (s < 1) {
      return fmt("%.0f ms", s * 1000);
    }
    if (s < 100) {
      return fmt("%.1f s", s);
    }
    if (s < 3600) {
      return fmt("%.0f s", s);
    }
    return fmt("%.1f h", s / 3600);
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
