package io.faaspot.scheduler.wakeup;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the notification listener waits before connecting again: from 200 ms, doubled after each
 * failure up to 10 s, each wait with jitter (half of it to all of it), so that the nodes that lost
 * the database together do not all come back in lockstep.
 */
final class ReconnectBackoff {
  private static final Duration FIRST = Duration.ofMillis(200);
  private static final Duration MAX = Duration.ofSeconds(10);

  private Duration next = FIRST;

  /** Connected: the next failure waits the shortest time again. */
  void reset() {
    next = FIRST;
  }

  /** The wait before the next attempt. */
  Duration next() {
    return next;
  }

  /** Waits {@link #next()}, then lengthens it; false if interrupted (the flag is kept). */
  boolean await() {
    try {
      Thread.sleep(next);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    Duration doubled = next.multipliedBy(2);
    next = jitter(doubled.compareTo(MAX) > 0 ? MAX : doubled);
    return true;
  }

  private static Duration jitter(Duration d) {
    long ms = d.toMillis();
    return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
  }
}
