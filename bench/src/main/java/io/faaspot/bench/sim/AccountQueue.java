package io.faaspot.bench.sim;

import java.util.ArrayDeque;
import java.util.List;

/**
 * An account's queue in the simulated day: calls wait oldest first, a handed-back call at the
 * front, and start on the oldest ready machine with a free worker, so that work packs onto old
 * machines and new ones idle out. Apart from {@link AccountFleet}, which runs the machines' lives.
 */
final class AccountQueue {
  private final ArrayDeque<Integer> pending = new ArrayDeque<>();
  private final AccountLoad load;
  private final CallRuns runs;
  private final List<Machine> machines; // the run's, not gone, in launch order; read only here
  private final FleetEvents events;

  AccountQueue(AccountLoad load, List<Machine> machines, FleetEvents events) {
    this.load = load;
    this.runs = new CallRuns(load.arrivals());
    this.machines = machines;
    this.events = events;
  }

  void arrive(int call, double now) {
    pending.addLast(call);
    dispatch(now);
  }

  /** Starts waiting calls on free workers while there are both. */
  void dispatch(double now) {
    while (!pending.isEmpty()) {
      Machine m = freeMachine();
      if (m == null) {
        return;
      }
      int call = pending.pollFirst();
      m.start(call);
      int attempt = runs.start(call, now);
      events.schedule(now + load.services()[call], FleetEvents.Kind.FINISH, m, call, attempt);
    }
  }

  private Machine freeMachine() {
    for (Machine m : machines) {
      if (m.takesWork()) {
        return m;
      }
    }
    return null;
  }

  void finish(Machine m, int call, int attempt, double now) {
    if (!runs.finish(call, attempt, now)) {
      return;
    }
    if (m.finish(call)) {
      m.idleSince = now;
    }
    dispatch(now);
  }

  /** The calls an interrupted spot has not finished go back to the front, to run elsewhere. */
  void handBack(Machine m, double now) {
    m.handBack(
        call -> {
          runs.handedBack(call); // its FINISH event is now stale
          pending.addFirst(call);
        });
    dispatch(now);
  }

  int waiting() {
    return pending.size();
  }

  /** When the call waiting longest was submitted (none waiting: not to be asked). */
  double oldestArrival() {
    return load.arrivals()[pending.peekFirst()];
  }

  CallRuns runs() {
    return runs;
  }
}
