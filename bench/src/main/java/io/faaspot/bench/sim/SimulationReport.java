package io.faaspot.bench.sim;

import static io.faaspot.bench.sim.ReportText.fmt;

import java.util.List;

/**
 * The simulation's outputs: the markdown the README quotes, and the CSV its chart is drawn from.
 */
final class SimulationReport {
  private SimulationReport() {}

  /**
   * The report of a day at the published interruption rate and, unless null, of the same day with
   * the rate scaled up (the stress), whose machines differ only by interruptions.
   */
  static String markdown(
      Simulation day, Simulation stress, List<KnobVariant> variants, String command) {
    Scenario s = day.scenario();
    AccountOutcome onDemand = day.of(Strategy.ON_DEMAND_FOR_PEAK);
    StringBuilder md = new StringBuilder();
    md.append("# What spots save: a simulated day\n\n");
    md.append("Written by `").append(command).append("` (seed ").append(s.seed());
    md.append("; the same seed and parameters give this same file).\n\n");
    md.append(
        fmt(
            "%d accounts, %,d calls over 24 hours (%.1f calls/s on average; the busiest five"
                + " minutes of all accounts together %.0f busy workers, the day's mean %.0f).\n\n",
            s.accounts(),
            onDemand.calls(),
            onDemand.calls() / Scenario.DAY_SECONDS,
            max(day.offered()),
            mean(day.offered())));
    md.append("(a)'s machines, one per account: ");
    md.append(
        String.join(
            ", ",
            day.onDemandSizes().entrySet().stream()
                .map(e -> e.getValue() + " " + Prices.m5Name(e.getKey()))
                .toList()));
    md.append(
        day.onDemandShort() == 0
            ? ".\n\n"
            : fmt(
                " (%d of them smaller than the account's peak, which outgrows the largest"
                    + " m5).\n\n",
                day.onDemandShort()));
    StrategyTables.strategies(md, day.all(), onDemand);
    if (stress != null) {
      Fleet sf = stress.scenario().fleet();
      double hours = 1 / (sf.band().hazardPerSecond() * sf.interruptionScale() * 3600);
      md.append(
          fmt(
              "The same day with interruptions %.0f times as frequent (a spot interrupted after"
                  + " %.0f hours of running on average) and no notice (a spot goes at once and"
                  + " hands back every call it runs; AWS gives the notice on a best-effort"
                  + " basis):\n\n",
              sf.interruptionScale(), hours));
      StrategyTables.strategies(md, stress.all(), onDemand);
    }
    StrategyTables.knobs(md, variants, onDemand);
    ScenarioNotes.append(md, s);
    return md.toString();
  }

  /** The chart's data: per five-minute bin, the work submitted and each strategy's workers. */
  static String csv(Simulation day) {
    List<AccountOutcome> all = day.all();
    StringBuilder csv = new StringBuilder("minute,offered_workers");
    for (AccountOutcome o : all) {
      csv.append(',').append(o.strategy().key()).append("_workers");
    }
    csv.append('\n');
    for (int b = 0; b < Workload.BINS; b++) {
      csv.append(fmt("%.0f,%.2f", b * Workload.BIN_SECONDS / 60, day.offered()[b]));
      for (AccountOutcome o : all) {
        csv.append(fmt(",%.2f", o.provisioned()[b]));
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  /** One line per strategy for the chart's bars: key, name, cost, p99 seconds. */
  static String summaryCsv(Simulation day) {
    StringBuilder csv = new StringBuilder("key,name,cost_usd,p50_s,p99_s,max_s,reruns\n");
    for (AccountOutcome o : day.all()) {
      csv.append(
          fmt(
              "%s,\"%s\",%.2f,%.3f,%.3f,%.3f,%d\n",
              o.strategy().key(),
              o.strategy().name(),
              o.cost(),
              o.delaySeconds(50),
              o.delaySeconds(99),
              o.maxDelaySeconds(),
              o.reruns()));
    }
    return csv.toString();
  }

  private static double max(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  private static double mean(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return sum / v.length;
  }
}
