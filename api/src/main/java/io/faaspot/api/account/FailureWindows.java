package io.faaspot.api.account;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts failures per key (a username, an address) in fixed windows: a key's first failure opens a
 * window, and once the key has {@code limit} failures in it, the key is blocked until it ends. So a
 * key never gets more than {@code limit} tries per window.
 *
 * <p>Reading is two map lookups and takes no lock; only failures write, with the map's per-entry
 * lock. Memory is bounded by two generations of at most {@code capacity} keys each: a new
 * generation starts once a window has passed (everything in the one it drops has ended by then) or,
 * under a flood of distinct keys, once the current one is full, in which case the oldest keys are
 * forgotten early.
 */
final class FailureWindows {
  private record Window(long startMillis, int failures) {}

  private record Generations(
      ConcurrentHashMap<String, Window> current,
      ConcurrentHashMap<String, Window> previous,
      long startMillis) {}

  private final int limit;
  private final long windowMillis;
  private final int capacity;
  private final AtomicReference<Generations> generations;

  FailureWindows(int limit, long windowMillis, int capacity, long nowMillis) {
    this.limit = limit;
    this.windowMillis = windowMillis;
    this.capacity = capacity;
    this.generations =
        new AtomicReference<>(
            new Generations(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), nowMillis));
  }

  /** How long {@code key} must wait before it may try again; 0 if it may now. */
  long blockedMillis(String key, long nowMillis) {
    Window w = live(key, nowMillis);
    return w == null || w.failures() < limit ? 0 : w.startMillis() + windowMillis - nowMillis;
  }

  void recordFailure(String key, long nowMillis) {
    Generations g = rotateIfDue(nowMillis);
    g.current()
        .compute(
            key,
            (k, w) -> {
              if (w == null) {
                w = g.previous().get(k);
              }
              if (w == null || w.startMillis() + windowMillis <= nowMillis) {
                return new Window(nowMillis, 1);
              }
              // Past the limit the count no longer matters; saturating keeps it from overflowing.
              return new Window(w.startMillis(), Math.min(w.failures() + 1, limit));
            });
  }

  void forget(String key) {
    Generations g = generations.get();
    g.current().remove(key);
    g.previous().remove(key);
  }

  /** Keys remembered now, in both generations (for tests of the bound). */
  int size() {
    Generations g = generations.get();
    return g.current().size() + g.previous().size();
  }

  private Window live(String key, long nowMillis) {
    Generations g = generations.get();
    Window w = g.current().get(key);
    if (w == null) {
      w = g.previous().get(key);
    }
    return w != null && w.startMillis() + windowMillis > nowMillis ? w : null;
  }

  private Generations rotateIfDue(long nowMillis) {
    while (true) {
      Generations g = generations.get();
      boolean due = nowMillis - g.startMillis() >= windowMillis || g.current().size() >= capacity;
      if (!due) {
        return g;
      }
      Generations next = new Generations(new ConcurrentHashMap<>(), g.current(), nowMillis);
      if (generations.compareAndSet(g, next)) {
        return next;
      }
    }
  }
}
