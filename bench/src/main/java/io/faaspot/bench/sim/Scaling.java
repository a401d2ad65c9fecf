package io.faaspot.bench.sim;

/**
 * The autoscaler of a {@link Scenario} ({@link ScalingPolicy}), with the product's defaults.
 *
 * @param tickSeconds how often it decides ({@code faaspot.spots.reconcile-interval}, 2 s)
 * @param queueAgeSeconds a call waiting this long with no spot starting adds a spot ({@code
 *     faaspot.autoscale.queue-age}, 10 s)
 * @param idleSeconds how long a spot stays idle before it is removed ({@code idle_minutes}, 10)
 */
record Scaling(double tickSeconds, double queueAgeSeconds, double idleSeconds) {
  Scaling withIdle(double seconds) {
    return new Scaling(tickSeconds, queueAgeSeconds, seconds);
  }
}
