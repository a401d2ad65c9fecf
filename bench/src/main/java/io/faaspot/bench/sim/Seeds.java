package io.faaspot.bench.sim;

import java.util.SplittableRandom;

/**
 * Independent random streams from one seed: one per account for its load, one per account and
 * strategy for its machines, so that a strategy's launches never shift another's draws or the
 * calls.
 */
final class Seeds {
  static final int LOAD = 0;
  static final int MACHINES = 1;

  private Seeds() {}

  static SplittableRandom random(long seed, int account, int stream) {
    return new SplittableRandom(mix(mix(mix(seed) ^ account) ^ ((long) stream << 32)));
  }

  /**
   * An exponential draw of mean 1. {@code StrictMath}, not {@code Math} nor the generator's own
   * {@code nextExponential}: their results may differ in the last bit between JVMs and between
   * interpreted and compiled code, and the committed report must come out the same everywhere.
   */
  static double exponential(SplittableRandom random) {
    return -StrictMath.log(1 - random.nextDouble());
  }

  /** A standard normal draw (Box-Muller, one of the pair), with {@code StrictMath} as above. */
  static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble(); // in (0, 1]
    double v = random.nextDouble();
    return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * StrictMath.PI * v);
  }

  /** MurmurHash3's finaliser: nearby inputs give unrelated seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
