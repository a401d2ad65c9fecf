package io.faaspot.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {
  private static final List<Strategy> SPOTS =
      List.of(Strategy.FIXED_FOR_PEAK, Strategy.FIXED_FOR_MEAN, Strategy.AUTOSCALED);

  /** Few enough accounts for a test, enough for bursts, nights and large accounts. */
  private static final Scenario SMALL = Scenario.standard().withAccounts(8);

  @Test
  void theSameSeedGivesTheSameDayAndAnotherSeedAnotherDay() {
    Scenario stormy = SMALL.withInterruptions(InterruptionBand.OVER_20, 300).withoutNotice();

    String first = report(stormy.withAccounts(4));
    String again = report(stormy.withAccounts(4));
    String other = report(stormy.withAccounts(4).withSeed(stormy.seed() + 1));

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void everyCallCompletesOnceAndEachHandedBackCallStartsOnceMore() {
    // given spots interrupted every few hours of running, without the notice: calls are cut
    Scenario stormy = SMALL.withInterruptions(InterruptionBand.OVER_20, 300).withoutNotice();

    // when
    Simulation day = Simulation.run(stormy, Strategy.ALL);

    // then
    long calls = day.of(Strategy.ON_DEMAND_FOR_PEAK).calls();
    assertThat(calls).isGreaterThan(50_000);
    for (AccountOutcome o : day.all()) {
      assertThat(o.calls()).as(o.strategy().key()).isEqualTo(calls);
      assertThat(o.completed()).as(o.strategy().key()).isEqualTo(calls);
      assertThat(o.delays().getTotalCount()).as(o.strategy().key()).isEqualTo(calls);
      assertThat(o.starts()).as(o.strategy().key()).isEqualTo(calls + o.reruns());
    }
    for (Strategy s : SPOTS) {
      assertThat(day.of(s).interruptions()).as(s.key()).isGreaterThan(10);
      assertThat(day.of(s).reruns()).as(s.key()).isGreaterThan(0);
    }
  }

  @Test
  void theOnDemandMachineIsNeverInterrupted() {
    Scenario stormy = SMALL.withInterruptions(InterruptionBand.OVER_20, 300).withoutNotice();

    AccountOutcome onDemand =
        Simulation.run(stormy, List.of(Strategy.ON_DEMAND_FOR_PEAK))
            .of(Strategy.ON_DEMAND_FOR_PEAK);

    assertThat(onDemand.interruptions()).isZero();
    assertThat(onDemand.reruns()).isZero();
    assertThat(onDemand.launches()).isZero();
    assertThat(onDemand.machineHours()).isEqualTo(24.0 * SMALL.accounts(), within(0.01));
  }

  @Test
  void autoscaledSpotsCostLessThanFixedSpotsForThePeakAndWaitLessThanFixedSpotsForTheMean() {
    Simulation day =
        Simulation.run(
            SMALL,
            List.of(
                Strategy.ON_DEMAND_FOR_PEAK,
                Strategy.FIXED_FOR_PEAK,
                Strategy.FIXED_FOR_MEAN,
                Strategy.AUTOSCALED));

    AccountOutcome onDemand = day.of(Strategy.ON_DEMAND_FOR_PEAK);
    AccountOutcome forPeak = day.of(Strategy.FIXED_FOR_PEAK);
    AccountOutcome forMean = day.of(Strategy.FIXED_FOR_MEAN);
    AccountOutcome autoscaled = day.of(Strategy.AUTOSCALED);
    assertThat(forPeak.cost()).isLessThan(onDemand.cost());
    assertThat(autoscaled.cost()).isLessThan(forPeak.cost());
    assertThat(autoscaled.delaySeconds(99)).isLessThan(forMean.delaySeconds(99));
    assertThat(autoscaled.shareWaitingOver(10)).isLessThan(forMean.shareWaitingOver(10));
    // 99% of calls wait at most for one launch (the decision, the queue age, the boot)
    Fleet f = SMALL.fleet();
    Scaling sc = SMALL.scaling();
    assertThat(autoscaled.delaySeconds(99))
        .isLessThan(sc.tickSeconds() + sc.queueAgeSeconds() + f.launchMax());
  }

  @Test
  void aCallOnAnAccountWithNoSpotWaitsForALaunchAndTheSpotGoesWhenIdle() {
    // given one call of 2 s at 10:00 on an account that has no spot
    double[] offered = new double[Workload.BINS];
    offered[120] = 2.0 / Workload.BIN_SECONDS;
    var load = new AccountLoad(0, new double[] {36_000}, new double[] {2}, offered);
    Scenario quiet = SMALL.withInterruptions(InterruptionBand.UNDER_5, 0);

    // when
    AccountOutcome o = FleetRun.run(quiet, Strategy.AUTOSCALED, load);

    // then it waited a launch (and at most a tick for the decision), and paid for the spot only
    // from its launch until the idle time after the call
    Fleet f = quiet.fleet();
    double tick = quiet.scaling().tickSeconds();
    assertThat(o.launches()).isEqualTo(1);
    assertThat(o.maxDelaySeconds()).isBetween(f.launchMin(), f.launchMax() + tick + 0.01);
    double billed = o.machineHours() * 3600;
    double idle = quiet.scaling().idleSeconds();
    assertThat(billed)
        .isBetween(o.maxDelaySeconds() + 2 + idle, o.maxDelaySeconds() + 2 + idle + tick + 0.01);
    assertThat(o.cost()).isEqualTo(billed / 3600 * quiet.prices().spotPerHour(), within(1e-9));
  }

  @Test
  void aBandsRateInterruptsItsShareOfSpotsOverAMonthOfRunning() {
    for (InterruptionBand band : InterruptionBand.values()) {
      double month = InterruptionBand.HOURS_PER_MONTH * 3600;
      assertThat(1 - Math.exp(-band.hazardPerSecond() * month))
          .as(band.label)
          .isEqualTo(band.perMonth, within(1e-12));
    }
  }

  @Test
  void theReportHasARowPerStrategyAndTheChartABinPerFiveMinutes() {
    Simulation day = Simulation.run(SMALL.withAccounts(3), Strategy.ALL);

    String md = SimulationReport.markdown(day, null, List.of(), "test");
    String csv = SimulationReport.csv(day);

    for (Strategy s : Strategy.ALL) {
      assertThat(md).contains("| " + s.name() + " | $");
    }
    assertThat(csv.lines()).hasSize(1 + Workload.BINS);
    assertThat(Simulate.run("--accounts", "0")).isEqualTo(2);
  }

  private static String report(Scenario scenario) {
    return SimulationReport.markdown(
        Simulation.run(scenario, Strategy.ALL), null, List.of(), "test");
  }
}
