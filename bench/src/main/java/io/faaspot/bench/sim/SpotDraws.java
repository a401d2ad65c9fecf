package io.faaspot.bench.sim;

import java.util.SplittableRandom;

/**
 * The random side of an account's machines under one strategy: how long each launch takes and when
 * each spot is interrupted. The draws come from a stream of their own ({@link Seeds}), so a
 * strategy's launches shift neither another strategy's draws nor the calls.
 */
final class SpotDraws {
  private final Fleet fleet;
  private final SplittableRandom random;

  SpotDraws(Scenario scenario, Strategy strategy, int account) {
    this.fleet = scenario.fleet();
    this.random =
        Seeds.random(scenario.seed(), account, Seeds.MACHINES + strategy.key().hashCode());
  }

  /** From a launch to a working agent, uniformly between the fleet's bounds, seconds. */
  double launchDelay() {
    return fleet.launchMin() + (fleet.launchMax() - fleet.launchMin()) * random.nextDouble();
  }

  /**
   * When a spot that becomes ready now is interrupted, at the band's constant hazard (scaled);
   * infinity when that hazard is zero.
   */
  double interruptAt(double now) {
    double hazard = fleet.band().hazardPerSecond() * fleet.interruptionScale();
    return hazard > 0 ? now + Seeds.exponential(random) / hazard : Double.POSITIVE_INFINITY;
  }
}
