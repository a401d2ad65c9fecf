package io.faaspot.bench.sim;

/**
 * The calls of each account: a diurnal pattern (quiet at night, a peak at a working hour of its
 * own) times its own base rate, plus bursts, Poisson within both. A part of {@link Scenario}; the
 * calls themselves are drawn by {@link Workload}.
 *
 * @param medianRate the median account's mean calls per second over the day
 * @param rateSpread sigma of the log-normal spread of accounts' rates (a few large accounts)
 * @param nightShare the diurnal curve's floor, as a share of its peak
 * @param burstsPerDay the mean number of bursts per account per day (Poisson)
 * @param burstMinutes the mean duration of a burst (exponential, at least 30 s)
 * @param burstMultiplierMin the lowest burst rate, as a multiple of the account's mean rate
 * @param burstMultiplierMax the highest
 * @param shortMedian the median run time of an ordinary call, seconds (log-normal)
 * @param shortSigma its log-normal sigma
 * @param longShare the share of calls that are long jobs
 * @param longMedian the median run time of a long job, seconds (log-normal)
 * @param longSigma its log-normal sigma
 * @param maxSeconds the longest a call may run (the product's timeout)
 */
record Load(
    double medianRate,
    double rateSpread,
    double nightShare,
    double burstsPerDay,
    double burstMinutes,
    double burstMultiplierMin,
    double burstMultiplierMax,
    double shortMedian,
    double shortSigma,
    double longShare,
    double longMedian,
    double longSigma,
    double maxSeconds) {}
