package io.faaspot.bench.sim;

/**
 * The frequency-of-interruption bands AWS's Spot Instance Advisor publishes per instance type and
 * region: the share of instances of that type that spot reclaimed over the trailing month.
 *
 * <p>The simulation reads a band as a constant hazard per running hour: an instance running for a
 * whole month (730 hours) is interrupted with the band's upper probability. The Advisor counts
 * instances, not instance-hours, so for short-lived spots this is an assumption, stated as such.
 * The top band is open-ended; its 30% here is our choice, not a published figure.
 */
enum InterruptionBand {
  UNDER_5("<5%", 0.05),
  FROM_5_TO_10("5-10%", 0.10),
  FROM_10_TO_15("10-15%", 0.15),
  FROM_15_TO_20("15-20%", 0.20),
  OVER_20(">20% (taken as 30%)", 0.30);

  static final double HOURS_PER_MONTH = 730;

  final String label;
  final double perMonth;

  InterruptionBand(String label, double perMonth) {
    this.label = label;
    this.perMonth = perMonth;
  }

  /** The interruptions per running second that give this band's probability over a month. */
  double hazardPerSecond() {
    return -StrictMath.log(1 - perMonth) / (HOURS_PER_MONTH * 3600);
  }

  static InterruptionBand parse(String text) {
    for (InterruptionBand band : values()) {
      if (band.label.startsWith(text) || band.name().equalsIgnoreCase(text)) {
        return band;
      }
    }
    throw new IllegalArgumentException("unknown interruption band: " + text);
  }
}
