package io.faaspot.agent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The loops' back-off: sleep about this long (with jitter), then twice as long, up to 10 s. */
final class Backoff {
  static final Duration FIRST = Duration.ofMillis(200);

  private Backoff() {}

  /** Sleeps between half and all of {@code backoff}; returns the next one. */
  static Duration sleep(Duration backoff) throws InterruptedException {
    long ms = backoff.toMillis();
    Thread.sleep(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    return Duration.ofMillis(Math.min(10_000, ms * 2));
  }
}
