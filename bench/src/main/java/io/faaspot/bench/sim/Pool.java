package io.faaspot.bench.sim;

/**
 * One account's pool and work at a tick, as {@link ScalingPolicy} decides on them.
 *
 * @param ready spots in service that take work
 * @param starting spots launched and not ready yet
 * @param running calls running on them
 * @param pending calls waiting
 * @param waited seconds the oldest waiting call has waited, counted from the newest spot's
 *     readiness if that came later (0 when none waits)
 */
record Pool(int ready, int starting, int running, int pending, double waited) {
  int inService() {
    return ready + starting;
  }
}
