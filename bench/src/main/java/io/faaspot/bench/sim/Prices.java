package io.faaspot.bench.sim;

import java.util.List;

/**
 * What the machines cost per hour, in USD: Linux, us-east-1.
 *
 * <p>The defaults are as of 2024 and were not fetched by this program (it runs offline): the
 * on-demand prices are AWS's public list prices of the m5 family (m5.large $0.096 per hour, each
 * size up twice the price for twice the vCPUs, to m5.24xlarge $4.608); the spot price of an
 * m5.large is a typical value of its spot price history in us-east-1 that year ($0.035-0.045
 * depending on the zone and the week; AWS's Spot Instance Advisor showed savings of about 60% for
 * it). Spot prices move; check both on aws.amazon.com/ec2/pricing and the spot price history before
 * relying on a figure, and pass your own with {@code --spot-price} and {@code
 * --on-demand-per-vcpu}.
 *
 * @param spotPerHour the price of one spot of {@link Scenario#spotWorkers()} workers (an m5.large:
 *     2 vCPUs, one worker each)
 * @param onDemandPerVcpuHour the on-demand price of one vCPU-hour in the m5 family ($0.048)
 */
record Prices(double spotPerHour, double onDemandPerVcpuHour) {
  /** us-east-1, as of 2024: m5.large spot $0.040, m5 on-demand $0.048 per vCPU-hour. */
  static final Prices US_EAST_1_2024 = new Prices(0.040, 0.048);

  /** The sizes of the m5 family, in vCPUs, from m5.large to m5.24xlarge. */
  static final List<Integer> M5_VCPUS = List.of(2, 4, 8, 16, 32, 48, 64, 96);

  Prices {
    if (!(spotPerHour > 0) || !(onDemandPerVcpuHour > 0)) {
      throw new IllegalArgumentException("prices must be positive");
    }
  }

  /** The smallest m5 size with at least this many vCPUs (an m5.24xlarge at most). */
  static int onDemandVcpus(int workers) {
    return M5_VCPUS.stream().filter(v -> v >= workers).findFirst().orElse(M5_VCPUS.getLast());
  }

  static String m5Name(int vcpus) {
    return switch (vcpus) {
      case 2 -> "m5.large";
      case 4 -> "m5.xlarge";
      default -> "m5." + vcpus / 4 + "xlarge";
    };
  }

  double onDemandPerHour(int vcpus) {
    return onDemandPerVcpuHour * vcpus;
  }
}
