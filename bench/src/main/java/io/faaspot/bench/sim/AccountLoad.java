package io.faaspot.bench.sim;

import java.util.Arrays;

/**
 * One account's day of calls, as {@link Workload} draws it.
 *
 * @param arrivals when each call is submitted, seconds from midnight, ascending
 * @param services how long each call runs once started, seconds
 * @param offered the work submitted in each five-minute bin, in busy workers (seconds of run time
 *     per second)
 */
record AccountLoad(int account, double[] arrivals, double[] services, double[] offered) {
  int calls() {
    return arrivals.length;
  }

  /** The busiest five minutes' work, in workers. */
  double peak() {
    return Arrays.stream(offered).max().orElse(0);
  }

  /** The day's work, in workers on average. */
  double mean() {
    return Arrays.stream(offered).average().orElse(0);
  }

  /** Workers for a load at the target utilisation, at least one. */
  static int workersFor(double load, double targetUtilisation) {
    return Math.max(1, (int) Math.ceil(load / targetUtilisation - 1e-9));
  }
}
