package io.faaspot.bench.sim;

/**
 * The autoscaler's decision for one account at one tick, as the product's reconciler takes it
 * (issue 21): the calls waiting and running, {@code max_workers} per spot, give the spots needed; a
 * call that waited {@code faaspot.autoscale.queue-age} (counted from when the newest spot became
 * ready) while no spot is starting adds one; never more than {@code max_spots}, never fewer than
 * {@code min_spots}. Spots draining after an interruption notice are not in service.
 */
final class ScalingPolicy {
  private ScalingPolicy() {}

  /** The spots the account should have in service: more than now means launches. */
  static int target(Pool p, int workers, int minSpots, int maxSpots, double queueAge) {
    int needed = p.inService();
    if (p.pending() > 0) {
      needed = Math.max(needed, (p.pending() + p.running() + workers - 1) / workers);
      if (p.waited() >= queueAge && p.starting() == 0) {
        needed = Math.max(needed, p.inService() + 1);
      }
    }
    return Math.max(minSpots, Math.min(needed, maxSpots));
  }
}
