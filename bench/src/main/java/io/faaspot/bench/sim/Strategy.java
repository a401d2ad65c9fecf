package io.faaspot.bench.sim;

import java.util.List;

/**
 * How an account's machines are provisioned. Each account is sized from its own day: its peak is
 * its busiest five minutes' work, its mean the day's, each divided by the target utilisation.
 *
 * @param key a short name, also the machines' random stream
 * @param name as the table shows it
 * @param kind what machines, and who decides how many
 * @param forPeak fixed spots sized for the peak (else for the mean)
 * @param minSpots the autoscaler's minimum ({@code min_spots}); its maximum is the peak's spots
 */
record Strategy(String key, String name, Kind kind, boolean forPeak, int minSpots) {
  enum Kind {
    ON_DEMAND,
    FIXED_SPOTS,
    AUTOSCALED
  }

  static final Strategy ON_DEMAND_FOR_PEAK =
      new Strategy("on-demand", "(a) one on-demand machine for the peak", Kind.ON_DEMAND, true, 0);
  static final Strategy FIXED_FOR_PEAK =
      new Strategy("fixed-peak", "(b) fixed spots for the peak", Kind.FIXED_SPOTS, true, 0);
  static final Strategy FIXED_FOR_MEAN =
      new Strategy("fixed-mean", "(b') fixed spots for the mean", Kind.FIXED_SPOTS, false, 0);
  static final Strategy AUTOSCALED =
      new Strategy("autoscaled", "(c) autoscaled spots, min 0", Kind.AUTOSCALED, true, 0);
  static final Strategy AUTOSCALED_MIN_1 =
      new Strategy("autoscaled-min1", "(c') autoscaled spots, min 1", Kind.AUTOSCALED, true, 1);

  static final List<Strategy> ALL =
      List.of(ON_DEMAND_FOR_PEAK, FIXED_FOR_PEAK, FIXED_FOR_MEAN, AUTOSCALED, AUTOSCALED_MIN_1);

  boolean spots() {
    return kind != Kind.ON_DEMAND;
  }
}
