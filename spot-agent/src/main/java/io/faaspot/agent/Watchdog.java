package io.faaspot.agent;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends the calls that run past their timeout, with one thread for all of an agent's workers: each
 * call being read is watched from its start to its answer, and the thread sleeps until the earliest
 * deadline among them (a second at most). A call costs a small object and two set operations, not a
 * scheduled task; nothing of it is left once it answered.
 */
final class Watchdog {
  /** The longest the thread sleeps between looks, when no watched call ends sooner. */
  private static final long LONGEST_SLEEP_NANOS = Duration.ofSeconds(1).toNanos();

  static final Watchdog CALLS = new Watchdog("worker-timeouts");

  private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
  private final Thread thread;

  /** When the thread looks next, at the latest: a deadline before it wakes the thread. */
  private volatile long nextLookNanos;

  Watchdog(String name) {
    nextLookNanos = System.nanoTime();
    thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
  }

  /**
   * One call, from its start until {@link Watch#answered()}: past the timeout, {@code onExpiry}
   * runs on the watchdog's thread (it kills the worker, so that the reading thread sees the end).
   */
  Watch watch(Duration timeout, Runnable onExpiry) {
    Watch w = new Watch(System.nanoTime() + timeout.toNanos(), onExpiry);
    watched.add(w);
    if (w.deadlineNanos - nextLookNanos < 0) {
      LockSupport.unpark(thread);
    }
    return w;
  }

  /** Calls being watched now (for tests). */
  int watching() {
    return watched.size();
  }

  private void loop() {
    while (true) {
      long now = System.nanoTime();
      long next = now + LONGEST_SLEEP_NANOS;
      // Published before the look: a call that starts during it and ends sooner than this
      // unparks the thread, and the park below returns at once to look again.
      nextLookNanos = next;
      for (Watch w : watched) {
        if (w.deadlineNanos - now <= 0) {
          expire(w);
        } else if (w.deadlineNanos - next < 0) {
          next = w.deadlineNanos;
        }
      }
      nextLookNanos = next;
      LockSupport.parkNanos(this, next - now);
    }
  }

  /** Ends a call past its deadline; a failure to end one must not end the watch of the others. */
  private static void expire(Watch w) {
    try {
      w.expire();
    } catch (RuntimeException e) {
      Log.warn("could not end a call past its timeout: %s", e);
    }
  }

  /**
   * One watched call, in its watchdog's set until settled. Exactly one of its answer and its expiry
   * settles it.
   */
  final class Watch extends AtomicBoolean {
    private final long deadlineNanos;
    private final Runnable onExpiry;

    private Watch(long deadlineNanos, Runnable onExpiry) {
      super(true);
      this.deadlineNanos = deadlineNanos;
      this.onExpiry = onExpiry;
    }

    /** The answer came: true if in time, false if the call had expired first. */
    boolean answered() {
      watched.remove(this);
      return compareAndSet(true, false);
    }

    private void expire() {
      watched.remove(this);
      if (compareAndSet(true, false)) {
        onExpiry.run();
      }
    }
  }
}
