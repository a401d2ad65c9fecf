package io.faaspot.bench.sim;

import static io.faaspot.bench.sim.ReportText.fmt;

/**
 * The report's closing notes: how the day is made, each figure read from the {@link Scenario} it
 * was made from, so that the prose cannot drift from the parameters. Apart from {@link
 * SimulationReport}, which writes the results they explain.
 */
final class ScenarioNotes {
  private ScenarioNotes() {}

  static void append(StringBuilder md, Scenario s) {
    Fleet f = s.fleet();
    Load l = s.load();
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
    Scaling sc = s.scaling();
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
  }
}
