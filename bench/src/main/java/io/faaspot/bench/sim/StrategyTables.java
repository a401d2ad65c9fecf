package io.faaspot.bench.sim;

import static io.faaspot.bench.sim.ReportText.fmt;
import static io.faaspot.bench.sim.ReportText.seconds;

import java.util.List;

/**
 * The report's tables: a row per strategy, its cost against (a)'s, and the autoscaler's knobs.
 * Apart from {@link SimulationReport}, which writes the prose around them.
 */
final class StrategyTables {
  private StrategyTables() {}

  /** A row for each outcome, then a blank line. */
  static void strategies(StringBuilder md, List<AccountOutcome> outcomes, AccountOutcome onDemand) {
    header(md);
    for (AccountOutcome o : outcomes) {
      row(md, o, onDemand);
    }
    md.append('\n');
  }

  /** The autoscaled strategy with each knob turned, then a blank line; none: nothing. */
  static void knobs(StringBuilder md, List<KnobVariant> variants, AccountOutcome onDemand) {
    if (variants.isEmpty()) {
      return;
    }
    md.append("The autoscaler's knobs, on the same day (").append(Strategy.AUTOSCALED.name());
    md.append("):\n\n");
    md.append(
        "| setting | cost for the day | vs (a) | launches | queueing delay p50 / p99 / max |"
            + " calls waiting > 10 s |\n");
    md.append("|---|---:|---:|---:|---|---:|\n");
    for (KnobVariant v : variants) {
      AccountOutcome o = v.day().of(Strategy.AUTOSCALED);
      md.append(
          fmt(
              "| %s | $%,.2f | %.0f%% | %,d | %s / %s / %s | %.2f%% |\n",
              v.setting(),
              o.cost(),
              100 * (o.cost() / onDemand.cost() - 1),
              o.launches(),
              seconds(o.delaySeconds(50)),
              seconds(o.delaySeconds(99)),
              seconds(o.maxDelaySeconds()),
              o.shareWaitingOver(10)));
    }
    md.append('\n');
  }

  private static void header(StringBuilder md) {
    md.append(
        "| strategy | cost for the day | vs (a) | machine-hours | launches |"
            + " queueing delay p50 / p99 / max | calls waiting > 10 s |"
            + " calls re-run (interruptions) |\n");
    md.append("|---|---:|---:|---:|---:|---|---:|---:|\n");
  }

  private static void row(StringBuilder md, AccountOutcome o, AccountOutcome onDemand) {
    md.append(
        fmt(
            "| %s | $%,.2f | %s | %,.0f | %,d | %s / %s / %s | %.2f%% | %,d (%,d) |\n",
            o.strategy().name(),
            o.cost(),
            o == onDemand ? "—" : fmt("%.0f%%", 100 * (o.cost() / onDemand.cost() - 1)),
            o.machineHours(),
            o.launches(),
            seconds(o.delaySeconds(50)),
            seconds(o.delaySeconds(99)),
            seconds(o.maxDelaySeconds()),
            o.shareWaitingOver(10),
            o.reruns(),
            o.interruptions()));
  }
}
