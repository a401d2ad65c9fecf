package io.faaspot.bench.sim;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * One machine of an account's simulated fleet (a spot, or the one on-demand machine): where it is
 * in its life and which call each of its workers runs. Apart from {@link FleetRun}, which decides
 * when things happen, so that the workers' bookkeeping is read in one place.
 */
final class Machine {
  enum State {
    LAUNCHING,
    READY,
    DRAINING,
    GONE
  }

  final int workers;
  final double pricePerHour;
  final double launchedAt;
  private final int[] slots; // the call each worker runs, -1 when free
  State state = State.LAUNCHING;
  int busy;
  double idleSince;
  double readyAt;
  double interruptAt = Double.POSITIVE_INFINITY;

  Machine(int workers, double pricePerHour, double launchedAt) {
    this.workers = workers;
    this.pricePerHour = pricePerHour;
    this.launchedAt = launchedAt;
    this.slots = new int[workers];
    Arrays.fill(slots, -1);
  }

  /** Whether it takes a call now: ready (not launching, draining or gone), a worker free. */
  boolean takesWork() {
    return state == State.READY && busy < workers;
  }

  /** Runs the call on its first free worker. */
  void start(int call) {
    int w = 0;
    while (slots[w] >= 0) {
      w++;
    }
    slots[w] = call;
    busy++;
  }

  /** Frees the worker that ran the call; true when no worker is busy any more. */
  boolean finish(int call) {
    for (int w = 0; w < workers; w++) {
      if (slots[w] == call) {
        slots[w] = -1;
        break;
      }
    }
    return --busy == 0;
  }

  /** Frees every worker, giving each call it ran to {@code back}, the last worker's first. */
  void handBack(IntConsumer back) {
    for (int w = workers - 1; w >= 0; w--) {
      int call = slots[w];
      if (call >= 0) {
        slots[w] = -1;
        busy--;
        back.accept(call);
      }
    }
  }
}
