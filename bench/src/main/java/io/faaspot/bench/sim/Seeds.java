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

  /** MurmurHash3's finaliser: nearby inputs give unrelated seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
