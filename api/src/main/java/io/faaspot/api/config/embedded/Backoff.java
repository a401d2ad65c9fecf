package io.faaspot.api.config.embedded;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the supervisor waits before starting a dead postmaster again: doubling from half a
 * second to ten, with equal jitter, and starting over after a postmaster that ran long enough to
 * count as stable. Apart from the supervisor so that its rule reads in one place.
 */
final class Backoff {
  private static final Duration FIRST = Duration.ofMillis(500);
  private static final Duration MAX = Duration.ofSeconds(10);

  /** A postmaster that ran this long before it died starts the backoff over. */
  private static final Duration STABLE_UPTIME = Duration.ofSeconds(30);

  private Duration next = FIRST;

  /** The wait before the next start, given how long the one that died had run. */
  long delayMillis(Duration uptime) {
    if (uptime.compareTo(STABLE_UPTIME) > 0) {
      next = FIRST;
    }
    // Equal jitter: half the backoff, plus up to as much again at random.
    long delay =
        next.toMillis() / 2 + ThreadLocalRandom.current().nextLong(next.toMillis() / 2 + 1);
    next = next.multipliedBy(2);
    if (next.compareTo(MAX) > 0) {
      next = MAX;
    }
    return delay;
  }
}
