package io.faaspot.agent;

import java.time.Duration;

/**
 * How many calls this agent holds at most, and the least room worth asking for: what the {@link
 * Intake} counts its credit and claims against. Both follow the worker limits and the recent run
 * time, so they are computed afresh each time.
 */
final class Capacity {
  /** Most calls taken ahead of free workers, however short they are. */
  static final int MAX_AHEAD = 256;

  private final WorkerPool pool;
  private final Duration prefetch;
  private final RunTimes runTimes;

  Capacity(WorkerPool pool, Duration prefetch, RunTimes runTimes) {
    this.pool = pool;
    this.prefetch = prefetch;
    this.runTimes = runTimes;
  }

  /**
   * How many calls this agent holds at most: one per worker, plus as many more as its workers get
   * through in the prefetch time at the recent run time (none until a call has been timed).
   */
  int calls() {
    int workers = pool.maxWorkers();
    double avg = runTimes.averageMs();
    long prefetchMs = prefetch.toMillis();
    if (prefetchMs <= 0 || Double.isNaN(avg)) {
      return workers;
    }
    double ahead = prefetchMs * workers / Math.max(avg, 0.05);
    return workers + (int) Math.min(MAX_AHEAD, ahead);
  }

  /**
   * The least room worth asking for: a quarter of the capacity. A credit or a claim per finished
   * call would cost the server a message and this agent a wake-up each, for calls the server could
   * not send sooner anyway (it still holds the rest of the credit).
   */
  int grantStep() {
    return Math.max(1, calls() / 4);
  }
}
