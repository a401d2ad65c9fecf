package io.faaspot.bench.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * One account's day under one strategy, event by event: calls arrive, wait in the account's queue
 * (oldest first), run on a free worker of a ready machine; spots launch, become ready after the
 * launch delay, are interrupted, are removed when idle. Time is simulated, so a day takes well
 * under a second.
 *
 * <p>An interruption follows the product (README, Running on AWS): on the two-minute notice the
 * spot stops taking work and its replacement is launched at once; 20 s before the end it hands back
 * the calls it has not finished, which go back to the front of the queue and run again from the
 * start on another machine (at-least-once).
 */
final class FleetRun {
  private enum State {
    LAUNCHING,
    READY,
    DRAINING,
    GONE
  }

  private enum Kind {
    READY,
    FINISH,
    NOTICE,
    HAND_BACK,
    GONE,
    TICK
  }

  private static final class Machine {
    final int workers;
    final double pricePerHour;
    final double launchedAt;
    final int[] slots; // the call each worker runs, -1 when free
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
  }

  private record Event(double time, long seq, Kind kind, Machine machine, int call, int attempt) {}

  private final Scenario scenario;
  private final Strategy strategy;
  private final Workload.AccountLoad load;
  private final SplittableRandom random;
  private final PriorityQueue<Event> events =
      new PriorityQueue<>(Comparator.comparingDouble(Event::time).thenComparingLong(Event::seq));
  private final ArrayDeque<Integer> pending = new ArrayDeque<>();
  private final List<Machine> machines = new ArrayList<>(); // not gone, in launch order
  private final int[] attempts;
  private final double[] startedAt;
  private final boolean[] done;
  private final Histogram delays = new Histogram(3);
  private final double[] provisioned = new double[Workload.BINS];
  private long seq;
  private double now;
  private int spotWorkers;
  private int maxSpots;
  private int completed;
  private long starts;
  private long reruns;
  private long interruptions;
  private long launches;
  private double cost;
  private double machineHours;
  private double lastFinish;

  private FleetRun(Scenario scenario, Strategy strategy, Workload.AccountLoad load) {
    this.scenario = scenario;
    this.strategy = strategy;
    this.load = load;
    this.random =
        Seeds.random(scenario.seed(), load.account(), Seeds.MACHINES + strategy.key().hashCode());
    this.attempts = new int[load.calls()];
    this.startedAt = new double[load.calls()];
    this.done = new boolean[load.calls()];
  }

  static AccountOutcome run(Scenario scenario, Strategy strategy, Workload.AccountLoad load) {
    return new FleetRun(scenario, strategy, load).day();
  }

  private AccountOutcome day() {
    Scenario.Fleet fleet = scenario.fleet();
    spotWorkers = fleet.spotWorkers();
    int peakWorkers = Workload.AccountLoad.workersFor(load.peak(), fleet.targetUtilisation());
    int meanWorkers = Workload.AccountLoad.workersFor(load.mean(), fleet.targetUtilisation());
    maxSpots = ceilDiv(peakWorkers, spotWorkers);
    switch (strategy.kind()) {
      case ON_DEMAND -> {
        int vcpus = Prices.onDemandVcpus(peakWorkers);
        Machine machine = new Machine(vcpus, scenario.prices().onDemandPerHour(vcpus), 0);
        machines.add(machine);
        ready(machine);
      }
      case FIXED_SPOTS -> {
        int spots = strategy.forPeak() ? maxSpots : ceilDiv(meanWorkers, spotWorkers);
        for (int i = 0; i < spots; i++) {
          startReady();
        }
      }
      case AUTOSCALED -> {
        for (int i = 0; i < Math.min(strategy.minSpots(), maxSpots); i++) {
          startReady();
        }
        schedule(0, Kind.TICK, null, -1, 0);
      }
    }

    double[] arrivals = load.arrivals();
    int next = 0;
    int calls = arrivals.length;
    while (true) {
      double arrival = next < calls ? arrivals[next] : Double.POSITIVE_INFINITY;
      Event event = events.peek();
      double eventTime = event == null ? Double.POSITIVE_INFINITY : event.time();
      if (completed == calls && Math.min(arrival, eventTime) >= Scenario.DAY_SECONDS) {
        break;
      }
      if (arrival <= eventTime) {
        now = arrival;
        pending.addLast(next++);
        dispatch();
      } else {
        events.poll();
        now = eventTime;
        handle(event);
      }
    }
    now = Math.max(Scenario.DAY_SECONDS, lastFinish); // the bills end with the day or its last call
    for (Machine m : List.copyOf(machines)) {
      remove(m);
    }
    return new AccountOutcome(
        strategy,
        calls,
        completed,
        starts,
        reruns,
        interruptions,
        launches,
        cost,
        machineHours,
        delays,
        provisioned);
  }

  private void handle(Event e) {
    Machine m = e.machine();
    switch (e.kind()) {
      case READY -> {
        if (m.state == State.LAUNCHING) {
          ready(m);
        }
      }
      case FINISH -> finish(m, e.call(), e.attempt());
      case NOTICE -> {
        if (m.state == State.READY) {
          notice(m);
        }
      }
      case HAND_BACK -> {
        if (m.state == State.DRAINING) {
          handBack(m);
        }
      }
      case GONE -> {
        if (m.state != State.GONE) {
          remove(m);
          dispatch();
        }
      }
      case TICK -> {
        autoscale();
        schedule(now + scenario.scaling().tickSeconds(), Kind.TICK, null, -1, 0);
      }
    }
  }

  private Machine newSpot() {
    launches++;
    return new Machine(spotWorkers, scenario.prices().spotPerHour(), now);
  }

  /** A spot that is up when the day begins. */
  private void startReady() {
    Machine m = newSpot();
    machines.add(m);
    ready(m);
  }

  private void launch() {
    Machine m = newSpot();
    machines.add(m);
    Scenario.Fleet f = scenario.fleet();
    double delay = f.launchMin() + (f.launchMax() - f.launchMin()) * random.nextDouble();
    schedule(now + delay, Kind.READY, m, -1, 0);
  }

  private void ready(Machine m) {
    m.state = State.READY;
    m.idleSince = now;
    m.readyAt = now;
    if (strategy.spots()) {
      Scenario.Fleet f = scenario.fleet();
      double hazard = f.band().hazardPerSecond() * f.interruptionScale();
      if (hazard > 0) {
        m.interruptAt = now + Seeds.exponential(random) / hazard;
        schedule(Math.max(now, m.interruptAt - f.noticeSeconds()), Kind.NOTICE, m, -1, 0);
      }
    }
    dispatch();
  }

  private void notice(Machine m) {
    interruptions++;
    m.state = State.DRAINING;
    Scenario.Fleet f = scenario.fleet();
    schedule(Math.max(now, m.interruptAt - f.handBackSeconds()), Kind.HAND_BACK, m, -1, 0);
    schedule(Math.max(now, m.interruptAt), Kind.GONE, m, -1, 0);
    launch(); // the replacement, at once, as the product does on the notice
  }

  private void handBack(Machine m) {
    for (int w = m.workers - 1; w >= 0; w--) {
      int call = m.slots[w];
      if (call >= 0) {
        m.slots[w] = -1;
        m.busy--;
        attempts[call]++; // its FINISH event is now stale
        pending.addFirst(call);
        reruns++;
      }
    }
    dispatch();
  }

  private void dispatch() {
    while (!pending.isEmpty()) {
      Machine m = freeMachine();
      if (m == null) {
        return;
      }
      int call = pending.pollFirst();
      int w = 0;
      while (m.slots[w] >= 0) {
        w++;
      }
      m.slots[w] = call;
      m.busy++;
      starts++;
      startedAt[call] = now;
      schedule(now + load.services()[call], Kind.FINISH, m, call, attempts[call]);
    }
  }

  /**
   * The oldest ready machine with a free worker: work packs onto old machines, new ones idle out.
   */
  private Machine freeMachine() {
    for (Machine m : machines) {
      if (m.state == State.READY && m.busy < m.workers) {
        return m;
      }
    }
    return null;
  }

  private void finish(Machine m, int call, int attempt) {
    if (attempts[call] != attempt) {
      return; // handed back before it finished; it runs again elsewhere
    }
    if (done[call]) {
      throw new IllegalStateException("call " + call + " finished twice");
    }
    done[call] = true;
    completed++;
    lastFinish = now;
    delays.recordValue(Math.round((startedAt[call] - load.arrivals()[call]) * 1e6));
    for (int w = 0; w < m.workers; w++) {
      if (m.slots[w] == call) {
        m.slots[w] = -1;
        break;
      }
    }
    if (--m.busy == 0) {
      m.idleSince = now;
    }
    dispatch();
  }

  /**
   * The autoscaler's tick: launches up to {@link ScalingPolicy#target}; when no call waits, drains
   * ready spots idle for the idle time (they run nothing, so draining is removing), the longest
   * idle first, down to the minimum.
   */
  private void autoscale() {
    int ready = 0;
    int starting = 0;
    int running = 0;
    double newestReady = Double.NEGATIVE_INFINITY;
    for (Machine m : machines) {
      if (m.state == State.READY) {
        ready++;
        running += m.busy;
        newestReady = Math.max(newestReady, m.readyAt);
      } else if (m.state == State.LAUNCHING) {
        starting++;
      }
    }
    double waited =
        pending.isEmpty() ? 0 : now - Math.max(load.arrivals()[pending.peekFirst()], newestReady);
    Scenario.Scaling scaling = scenario.scaling();
    int min = Math.min(strategy.minSpots(), maxSpots);
    var pool = new ScalingPolicy.Pool(ready, starting, running, pending.size(), waited);
    int target = ScalingPolicy.target(pool, spotWorkers, min, maxSpots, scaling.queueAgeSeconds());
    for (int n = pool.inService(); n < target; n++) {
      launch();
    }
    if (pending.isEmpty() && target <= pool.inService()) {
      int left = pool.inService();
      List<Machine> idle =
          machines.stream()
              .filter(m -> m.state == State.READY && m.busy == 0)
              .filter(m -> now - m.idleSince >= scaling.idleSeconds())
              .sorted(Comparator.comparingDouble(m -> m.idleSince))
              .toList();
      for (Machine m : idle) {
        if (left <= min) {
          break;
        }
        remove(m);
        left--;
      }
    }
  }

  /** Stops the bill of a machine: terminated, interrupted, or the day is over. */
  private void remove(Machine m) {
    m.state = State.GONE;
    machines.remove(m);
    double seconds =
        Math.max(scenario.fleet().billingMinimumSeconds(), Math.max(0, now - m.launchedAt));
    cost += m.pricePerHour * seconds / 3600;
    machineHours += seconds / 3600;
    double from = m.launchedAt;
    double to = Math.min(now, Scenario.DAY_SECONDS);
    for (int b = (int) (from / Workload.BIN_SECONDS); b < Workload.BINS && from < to; b++) {
      double binEnd = (b + 1) * Workload.BIN_SECONDS;
      provisioned[b] += m.workers * (Math.min(to, binEnd) - from) / Workload.BIN_SECONDS;
      from = binEnd;
    }
  }

  private void schedule(double time, Kind kind, Machine m, int call, int attempt) {
    events.add(new Event(time, seq++, kind, m, call, attempt));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
