package io.faaspot.bench.sim;

import java.util.List;
import java.util.Locale;

/**
 * The simulation's outputs: the markdown the README quotes, and the CSV its chart is drawn from.
 */
final class SimulationReport {
  private SimulationReport() {}

  /**
   * The report of a day at the published interruption rate and of the same day with the rate scaled
   * up (the stress), whose machines differ only by interruptions.
   */
  /** The autoscaled strategy on the same day with one knob turned. */
  record Variant(String setting, Simulation day) {}

  static String markdown(
      Simulation day, Simulation stress, List<Variant> variants, String command) {
    Scenario s = day.scenario();
    Scenario.Fleet f = s.fleet();
    Scenario.Load l = s.load();
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
    header(md);
    for (AccountOutcome o : day.all()) {
      row(md, o, onDemand);
    }
    md.append('\n');
    if (stress != null) {
      Scenario.Fleet sf = stress.scenario().fleet();
      double hours = 1 / (sf.band().hazardPerSecond() * sf.interruptionScale() * 3600);
      md.append(
          fmt(
              "The same day with interruptions %.0f times as frequent (a spot interrupted after"
                  + " %.0f hours of running on average) and no notice (a spot goes at once and"
                  + " hands back every call it runs; AWS gives the notice on a best-effort"
                  + " basis):\n\n",
              sf.interruptionScale(), hours));
      header(md);
      for (AccountOutcome o : stress.all()) {
        row(md, o, onDemand);
      }
      md.append('\n');
    }
    if (!variants.isEmpty()) {
      md.append("The autoscaler's knobs, on the same day (").append(Strategy.AUTOSCALED.name());
      md.append("):\n\n");
      md.append(
          "| setting | cost for the day | vs (a) | launches | queueing delay p50 / p99 / max |"
              + " calls waiting > 10 s |\n");
      md.append("|---|---:|---:|---:|---|---:|\n");
      for (Variant v : variants) {
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
    md.append("How the day is made (every figure a parameter of `Scenario`):\n\n");
    md.append(
        fmt(
            "- **Load.** Each account's mean rate is log-normal (median %.2f calls/s, sigma %.1f)"
                + " times a diurnal curve (a peak at an hour of its own between 09:00 and 17:00,"
                + " the night at %.0f%% of the peak), plus bursts (%.0f a day on average, %.0f"
                + " minutes each on average, at %.0f-%.0f times its mean rate); arrivals are"
                + " Poisson within all of it. Run times are log-normal: %.0f%% of calls median"
                + " %.2f s (sigma %.1f), %.0f%% long jobs median %.0f s (sigma %.1f), at most %.0f"
                + " s.\n",
            l.medianRate(),
            l.rateSpread(),
            100 * l.nightShare(),
            l.burstsPerDay(),
            l.burstMinutes(),
            l.burstMultiplierMin(),
            l.burstMultiplierMax(),
            100 * (1 - l.longShare()),
            l.shortMedian(),
            l.shortSigma(),
            100 * l.longShare(),
            l.longMedian(),
            l.longSigma(),
            l.maxSeconds()));
    md.append(
        fmt(
            "- **Sizing.** Per account: its peak is its busiest five minutes' work, its mean the"
                + " day's, each in busy workers and divided by a target utilisation of %.0f%%."
                + " (a) is the smallest m5 with a vCPU (one worker) for each; (b) that many"
                + " spots of %d workers (m5.large) all day; (b') the mean's; (c) between its"
                + " minimum and (b)'s count.\n",
            100 * f.targetUtilisation(), f.spotWorkers()));
    Scenario.Scaling sc = s.scaling();
    md.append(
        fmt(
            "- **Autoscaler** (the product's, issue 21): every %.0f s, while calls wait, an"
                + " account wants ceil((running + waiting) / %d) spots in service, and one more"
                + " when a call has waited %.0f s with no spot starting; between its minimum and"
                + " maximum. With no call waiting, a spot idle for %.0f min is removed.\n",
            sc.tickSeconds(), f.spotWorkers(), sc.queueAgeSeconds(), sc.idleSeconds() / 60));
    md.append(
        fmt(
            "- **Spots.** A launch takes %.0f-%.0f s to a working agent (EC2 boot, the agent's"
                + " download and start). Interruptions at the Spot Instance Advisor's \"%s\""
                + " frequency band, read as a constant hazard: %.0f%% of spots interrupted over"
                + " %.0f hours of running. On the %.0f s notice a spot stops taking work and is"
                + " replaced at once; %.0f s before the end it hands back what it has not"
                + " finished, which runs again from the start elsewhere (\"re-run\").\n",
            f.launchMin(),
            f.launchMax(),
            f.band().label,
            100 * f.band().perMonth,
            InterruptionBand.HOURS_PER_MONTH,
            f.noticeSeconds(),
            f.handBackSeconds()));
    Prices p = s.prices();
    md.append(
        fmt(
            "- **Prices** (USD, Linux, us-east-1, as of 2024, not fetched by the program: check"
                + " current ones): on-demand m5 $%.3f per vCPU-hour (m5.large $%.3f, m5.4xlarge"
                + " $%.3f), an m5.large spot $%.3f per hour, a typical price of its spot history"
                + " then. Billed per second, at least %.0f s per machine.\n",
            p.onDemandPerVcpuHour(),
            p.onDemandPerHour(2),
            p.onDemandPerHour(16),
            p.spotPerHour(),
            f.billingMinimumSeconds()));
    md.append(
        "- **Queueing delay** is from a call's submission to the start of the run that"
            + " completed it (a re-run's wait includes its lost first run).\n");
    return md.toString();
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

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
