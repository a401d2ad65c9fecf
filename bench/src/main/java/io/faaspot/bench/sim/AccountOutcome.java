package io.faaspot.bench.sim;

import org.HdrHistogram.Histogram;

/**
 * What a strategy came to, for one account or (merged) for all of them.
 *
 * @param calls calls submitted
 * @param completed calls that finished (each exactly once)
 * @param starts runs started: {@code calls + reruns} when every call completed
 * @param reruns runs handed back by an interrupted spot and started again
 * @param interruptions interruption notices received
 * @param launches machines started, the day's first ones included
 * @param cost USD for the day (per second, EC2's one-minute minimum)
 * @param machineHours hours billed, all machines together
 * @param delays each call's queueing delay, microseconds: from its submission to the start of the
 *     run that completed it
 * @param provisioned machines' workers per five-minute bin, billed ones (launching ones included)
 */
record AccountOutcome(
    Strategy strategy,
    long calls,
    long completed,
    long starts,
    long reruns,
    long interruptions,
    long launches,
    double cost,
    double machineHours,
    Histogram delays,
    double[] provisioned) {

  static AccountOutcome empty(Strategy strategy) {
    return new AccountOutcome(
        strategy, 0, 0, 0, 0, 0, 0, 0, 0, new Histogram(3), new double[Workload.BINS]);
  }

  /** One account's day, from its calls' runs and its machines' bill. */
  static AccountOutcome of(
      Strategy strategy, long calls, CallRuns runs, long interruptions, long launches, Bill bill) {
    return new AccountOutcome(
        strategy,
        calls,
        runs.completed(),
        runs.starts(),
        runs.reruns(),
        interruptions,
        launches,
        bill.cost(),
        bill.machineHours(),
        runs.delays(),
        bill.provisioned());
  }

  AccountOutcome plus(AccountOutcome o) {
    Histogram h = delays.copy();
    h.add(o.delays);
    double[] p = provisioned.clone();
    for (int i = 0; i < p.length; i++) {
      p[i] += o.provisioned[i];
    }
    return new AccountOutcome(
        strategy,
        calls + o.calls,
        completed + o.completed,
        starts + o.starts,
        reruns + o.reruns,
        interruptions + o.interruptions,
        launches + o.launches,
        cost + o.cost,
        machineHours + o.machineHours,
        h,
        p);
  }

  /** A percentile of the queueing delay, in seconds. */
  double delaySeconds(double percentile) {
    return delays.getValueAtPercentile(percentile) / 1e6;
  }

  /** The percentage of calls whose queueing delay was longer than this. */
  double shareWaitingOver(double seconds) {
    if (delays.getTotalCount() == 0) {
      return 0;
    }
    long over = delays.getTotalCount() - delays.getCountBetweenValues(0, Math.round(seconds * 1e6));
    return 100.0 * over / delays.getTotalCount();
  }

  double maxDelaySeconds() {
    return delays.getMaxValue() / 1e6;
  }
}
