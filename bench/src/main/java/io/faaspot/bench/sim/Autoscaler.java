package io.faaspot.bench.sim;

import java.util.Comparator;
import java.util.List;

/**
 * The autoscaler's tick over one account's simulated machines: reads the pool off them for {@link
 * ScalingPolicy} (the product's decision) and says what follows, launches or removals. Apart from
 * {@link FleetRun}, which carries the decision out, so that the decision reads without the events.
 */
final class Autoscaler {
  /** What a tick does: launch this many spots, or remove these (never both). */
  record Decision(int launches, List<Machine> removals) {}

  private final Scaling scaling;
  private final int spotWorkers;
  private final int minSpots;
  private final int maxSpots;

  Autoscaler(Scaling scaling, int spotWorkers, int minSpots, int maxSpots) {
    this.scaling = scaling;
    this.spotWorkers = spotWorkers;
    this.minSpots = minSpots;
    this.maxSpots = maxSpots;
  }

  /**
   * Launches up to {@link ScalingPolicy#target}; when no call waits, drains ready spots idle for
   * the idle time (they run nothing, so draining is removing), the longest idle first, down to the
   * minimum.
   */
  Decision tick(List<Machine> machines, AccountQueue queue, double now) {
    int ready = 0;
    int starting = 0;
    int running = 0;
    double newestReady = Double.NEGATIVE_INFINITY;
    for (Machine m : machines) {
      if (m.state == Machine.State.READY) {
        ready++;
        running += m.busy;
        newestReady = Math.max(newestReady, m.readyAt);
      } else if (m.state == Machine.State.LAUNCHING) {
        starting++;
      }
    }
    int waiting = queue.waiting();
    double waited = waiting == 0 ? 0 : now - Math.max(queue.oldestArrival(), newestReady);
    var pool = new Pool(ready, starting, running, waiting, waited);
    int target =
        ScalingPolicy.target(pool, spotWorkers, minSpots, maxSpots, scaling.queueAgeSeconds());
    if (target > pool.inService()) {
      return new Decision(target - pool.inService(), List.of());
    }
    if (waiting > 0 || pool.inService() <= minSpots) {
      return new Decision(0, List.of());
    }
    List<Machine> idle =
        machines.stream()
            .filter(m -> m.state == Machine.State.READY && m.busy == 0)
            .filter(m -> now - m.idleSince >= scaling.idleSeconds())
            .sorted(Comparator.comparingDouble(m -> m.idleSince))
            .toList();
    return new Decision(0, idle.subList(0, Math.min(idle.size(), pool.inService() - minSpots)));
  }
}
