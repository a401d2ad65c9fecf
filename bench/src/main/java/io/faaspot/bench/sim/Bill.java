package io.faaspot.bench.sim;

/**
 * What an account's machines came to once stopped: the bill (per second, at least EC2's minimum a
 * machine) and, for the chart, the workers they provided in each five-minute bin of the day.
 */
final class Bill {
  private final double minimumSeconds;
  private final double[] provisioned = new double[Workload.BINS];
  private double cost;
  private double machineHours;

  Bill(double minimumSeconds) {
    this.minimumSeconds = minimumSeconds;
  }

  /** Stops the machine's bill at {@code now}: terminated, interrupted, or the day is over. */
  void stop(Machine m, double now) {
    double seconds = Math.max(minimumSeconds, Math.max(0, now - m.launchedAt));
    cost += m.pricePerHour * seconds / 3600;
    machineHours += seconds / 3600;
    double from = m.launchedAt;
    double to = Math.min(now, Scenario.DAY_SECONDS);
    for (int b = (int) (from / Workload.BIN_SECONDS); b < Workload.BINS && from < to; b++) {
      double binEnd = (b + 1) * Workload.BIN_SECONDS;
      provisioned[b] += m.workers * (Math.min(to, binEnd) - from) / Workload.BIN_SECONDS;
      from = binEnd;
    }
  }

  double cost() {
    return cost;
  }

  double machineHours() {
    return machineHours;
  }

  double[] provisioned() {
    return provisioned;
  }
}
