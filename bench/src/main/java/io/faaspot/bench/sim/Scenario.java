package io.faaspot.bench.sim;

/**
 * Everything one simulated day depends on. {@link #standard()} is the day the README reports; the
 * tests and the command line vary parts of it.
 *
 * @param seed the one seed every random draw derives from: the same scenario gives the same day
 * @param accounts how many accounts, each with its own load and its own machines
 * @param load the calls: how many, when, how long they run
 * @param fleet the machines: spot size, launch delay, interruptions, sizing headroom
 * @param scaling the autoscaler's policy
 * @param prices what the machines cost
 */
record Scenario(long seed, int accounts, Load load, Fleet fleet, Scaling scaling, Prices prices) {

  static final double DAY_SECONDS = 24 * 3600;

  static Scenario standard() {
    return new Scenario(
        21,
        50,
        new Load(0.2, 1.2, 0.1, 3, 4, 5, 20, 0.25, 0.8, 0.03, 20, 1.0, 900),
        new Fleet(2, 60, 90, InterruptionBand.FROM_15_TO_20, 1, 120, 20, 0.75, 60),
        new Scaling(2, 10, 600),
        Prices.US_EAST_1_2024);
  }

  Scenario withSeed(long seed) {
    return new Scenario(seed, accounts, load, fleet, scaling, prices);
  }

  Scenario withAccounts(int accounts) {
    return new Scenario(seed, accounts, load, fleet, scaling, prices);
  }

  Scenario withPrices(Prices prices) {
    return new Scenario(seed, accounts, load, fleet, scaling, prices);
  }

  Scenario withInterruptions(InterruptionBand band, double scale) {
    Fleet f = fleet;
    return withFleet(
        new Fleet(
            f.spotWorkers(),
            f.launchMin(),
            f.launchMax(),
            band,
            scale,
            f.noticeSeconds(),
            f.handBackSeconds(),
            f.targetUtilisation(),
            f.billingMinimumSeconds()));
  }

  /** Interruptions without the notice: a spot goes at once and hands back everything it runs. */
  Scenario withoutNotice() {
    Fleet f = fleet;
    return withFleet(
        new Fleet(
            f.spotWorkers(),
            f.launchMin(),
            f.launchMax(),
            f.band(),
            f.interruptionScale(),
            0,
            0,
            f.targetUtilisation(),
            f.billingMinimumSeconds()));
  }

  /** Spots that take this long, uniformly, from their launch to a working agent. */
  Scenario withLaunch(double min, double max) {
    Fleet f = fleet;
    return withFleet(
        new Fleet(
            f.spotWorkers(),
            min,
            max,
            f.band(),
            f.interruptionScale(),
            f.noticeSeconds(),
            f.handBackSeconds(),
            f.targetUtilisation(),
            f.billingMinimumSeconds()));
  }

  Scenario withScaling(Scaling scaling) {
    return new Scenario(seed, accounts, load, fleet, scaling, prices);
  }

  private Scenario withFleet(Fleet fleet) {
    return new Scenario(seed, accounts, load, fleet, scaling, prices);
  }
}
