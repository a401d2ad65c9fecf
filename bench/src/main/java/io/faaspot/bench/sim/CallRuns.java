package io.faaspot.bench.sim;

import org.HdrHistogram.Histogram;

/**
 * An account's calls and their runs, at least once each: a call handed back by an interrupted spot
 * runs again, and only the finish of its latest run counts (the earlier run's FINISH event is then
 * stale). A call's queueing delay runs from its submission to the start of the run that counts.
 */
final class CallRuns {
  private final double[] arrivals;
  private final int[] attempts;
  private final double[] startedAt;
  private final boolean[] done;
  private final Histogram delays = new Histogram(3);
  private int completed;
  private long starts;
  private long reruns;
  private double lastFinish;

  CallRuns(double[] arrivals) {
    this.arrivals = arrivals;
    this.attempts = new int[arrivals.length];
    this.startedAt = new double[arrivals.length];
    this.done = new boolean[arrivals.length];
  }

  /** A run of the call starts now; returns its attempt, which its finish must bring back. */
  int start(int call, double now) {
    starts++;
    startedAt[call] = now;
    return attempts[call];
  }

  /** An interrupted spot gave the call back unfinished: the run it had no longer counts. */
  void handedBack(int call) {
    attempts[call]++;
    reruns++;
  }

  /** Whether this run's finish counts (not a handed-back run's); records the call done if so. */
  boolean finish(int call, int attempt, double now) {
    if (attempts[call] != attempt) {
      return false; // handed back before it finished; it runs again elsewhere
    }
    if (done[call]) {
      throw new IllegalStateException("call " + call + " finished twice");
    }
    done[call] = true;
    completed++;
    lastFinish = now;
    delays.recordValue(Math.round((startedAt[call] - arrivals[call]) * 1e6));
    return true;
  }

  int completed() {
    return completed;
  }

  long starts() {
    return starts;
  }

  long reruns() {
    return reruns;
  }

  double lastFinish() {
    return lastFinish;
  }

  Histogram delays() {
    return delays;
  }
}
