package io.faaspot.bench.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws one account's day of calls. The same scenario gives the same calls to every strategy, so
 * that their differences come from the machines alone.
 */
final class Workload {
  /** The chart's and the sizing's time resolution: five minutes, as a dashboard would show. */
  static final double BIN_SECONDS = 300;

  static final int BINS = (int) (Scenario.DAY_SECONDS / BIN_SECONDS);

  private Workload() {}

  static AccountLoad account(Scenario scenario, int account) {
    Load l = scenario.load();
    SplittableRandom random = Seeds.random(scenario.seed(), account, Seeds.LOAD);
    double rate = l.medianRate() * StrictMath.exp(l.rateSpread() * Seeds.gaussian(random));
    double peakHour = 9 + 8 * random.nextDouble(); // each account's busiest hour, 09:00-17:00
    double day = Scenario.DAY_SECONDS;
    Doubles arrivals = new Doubles();

    // The diurnal part by thinning: candidates at the curve's top rate, kept in its proportion.
    double floor = l.nightShare();
    double meanRaw = floor + (1 - floor) * 3.0 / 8; // the mean of floor + (1 - floor) c^2
    double top = rate / meanRaw;
    for (double t = Seeds.exponential(random) / top;
        t < day;
        t += Seeds.exponential(random) / top) {
      double c = (1 + StrictMath.cos(2 * Math.PI * (t - peakHour * 3600) / day)) / 2;
      if (random.nextDouble() < floor + (1 - floor) * c * c) {
        arrivals.add(t);
      }
    }
    // Bursts: a Poisson number a day, each a Poisson stream of its own at a multiple of the rate.
    double burstGap = day / l.burstsPerDay();
    for (double s = Seeds.exponential(random) * burstGap;
        s < day;
        s += Seeds.exponential(random) * burstGap) {
      double end =
          Math.min(day, s + Math.max(30, Seeds.exponential(random) * l.burstMinutes() * 60));
      double burstRate =
          rate
              * (l.burstMultiplierMin()
                  + (l.burstMultiplierMax() - l.burstMultiplierMin()) * random.nextDouble());
      for (double t = s + Seeds.exponential(random) / burstRate;
          t < end;
          t += Seeds.exponential(random) / burstRate) {
        arrivals.add(t);
      }
    }

    double[] at = arrivals.sorted();
    double[] services = new double[at.length];
    double[] offered = new double[BINS];
    for (int i = 0; i < at.length; i++) {
      boolean isLong = random.nextDouble() < l.longShare();
      double median = isLong ? l.longMedian() : l.shortMedian();
      double sigma = isLong ? l.longSigma() : l.shortSigma();
      services[i] =
          Math.min(l.maxSeconds(), median * StrictMath.exp(sigma * Seeds.gaussian(random)));
      offered[(int) (at[i] / BIN_SECONDS)] += services[i] / BIN_SECONDS;
    }
    return new AccountLoad(account, at, services, offered);
  }

  /** A growable array of doubles, without boxing a million of them. */
  private static final class Doubles {
    private double[] values = new double[1024];
    private int size;

    void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    double[] sorted() {
      double[] out = Arrays.copyOf(values, size);
      Arrays.sort(out);
      return out;
    }
  }
}
