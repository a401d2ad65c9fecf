package io.faaspot.bench.sim;

import io.faaspot.bench.sim.FleetEvents.Kind;
import io.faaspot.bench.sim.Machine.State;
import java.util.ArrayList;
import java.util.List;

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
 *
 * <p>This class holds when things happen; the machines' workers ({@link Machine}), the calls' runs
 * ({@link CallRuns}), the bill ({@link Bill}) and the autoscaler's decision ({@link Autoscaler})
 * are kept apart.
 */
final class FleetRun {
  private final Scenario scenario;
  private final Strategy strategy;
  private final Workload.AccountLoad load;
  private final SpotDraws draws;
  private final FleetEvents events = new FleetEvents();
  private final List<Machine> machines = new ArrayList<>(); // not gone, in launch order
  private final AccountQueue queue;
  private final CallRuns calls;
  private final Bill bill;
  private double now;
  private int spotWorkers;
  private Autoscaler autoscaler;
  private long interruptions;
  private long launches;

  private FleetRun(Scenario scenario, Strategy strategy, Workload.AccountLoad load) {
    this.scenario = scenario;
    this.strategy = strategy;
    this.load = load;
    this.draws = new SpotDraws(scenario, strategy, load.account());
    this.queue = new AccountQueue(load, machines, events);
    this.calls = queue.runs();
    this.bill = new Bill(scenario.fleet().billingMinimumSeconds());
  }

  static AccountOutcome run(Scenario scenario, Strategy strategy, Workload.AccountLoad load) {
    return new FleetRun(scenario, strategy, load).day();
  }

  private AccountOutcome day() {
    Scenario.Fleet fleet = scenario.fleet();
    spotWorkers = fleet.spotWorkers();
    int peakWorkers = Workload.AccountLoad.workersFor(load.peak(), fleet.targetUtilisation());
    int meanWorkers = Workload.AccountLoad.workersFor(load.mean(), fleet.targetUtilisation());
    int maxSpots = Math.ceilDiv(peakWorkers, spotWorkers);
    switch (strategy.kind()) {
      case ON_DEMAND -> {
        int vcpus = Prices.onDemandVcpus(peakWorkers);
        Machine machine = new Machine(vcpus, scenario.prices().onDemandPerHour(vcpus), 0);
        machines.add(machine);
        ready(machine);
      }
      case FIXED_SPOTS -> {
        int spots = strategy.forPeak() ? maxSpots : Math.ceilDiv(meanWorkers, spotWorkers);
        for (int i = 0; i < spots; i++) {
          startReady();
        }
      }
      case AUTOSCALED -> {
        int minSpots = Math.min(strategy.minSpots(), maxSpots);
        autoscaler = new Autoscaler(scenario.scaling(), spotWorkers, minSpots, maxSpots);
        for (int i = 0; i < minSpots; i++) {
          startReady();
        }
        events.schedule(0, Kind.TICK, null, -1, 0);
      }
    }

    double[] arrivals = load.arrivals();
    int next = 0;
    int count = arrivals.length;
    while (true) {
      double arrival = next < count ? arrivals[next] : Double.POSITIVE_INFINITY;
      double eventTime = events.nextTime();
      if (calls.completed() == count && Math.min(arrival, eventTime) >= Scenario.DAY_SECONDS) {
        break;
      }
      if (arrival <= eventTime) {
        now = arrival;
        queue.arrive(next++, now);
      } else {
        FleetEvents.Event event = events.next();
        now = eventTime;
        handle(event);
      }
    }
    // the bills end with the day or its last call
    now = Math.max(Scenario.DAY_SECONDS, calls.lastFinish());
    for (Machine m : List.copyOf(machines)) {
      remove(m);
    }
    return AccountOutcome.of(strategy, count, calls, interruptions, launches, bill);
  }

  private void handle(FleetEvents.Event e) {
    Machine m = e.machine();
    switch (e.kind()) {
      case READY -> {
        if (m.state == State.LAUNCHING) {
          ready(m);
        }
      }
      case FINISH -> queue.finish(m, e.call(), e.attempt(), now);
      case NOTICE -> {
        if (m.state == State.READY) {
          notice(m);
        }
      }
      case HAND_BACK -> {
        if (m.state == State.DRAINING) {
          queue.handBack(m, now);
        }
      }
      case GONE -> {
        if (m.state != State.GONE) {
          remove(m);
          queue.dispatch(now);
        }
      }
      case TICK -> {
        autoscale();
        events.schedule(now + scenario.scaling().tickSeconds(), Kind.TICK, null, -1, 0);
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
    events.schedule(now + draws.launchDelay(), Kind.READY, m, -1, 0);
  }

  private void ready(Machine m) {
    m.state = State.READY;
    m.idleSince = now;
    m.readyAt = now;
    if (strategy.spots()) {
      m.interruptAt = draws.interruptAt(now);
      if (m.interruptAt < Double.POSITIVE_INFINITY) {
        double noticeAt = m.interruptAt - scenario.fleet().noticeSeconds();
        events.schedule(Math.max(now, noticeAt), Kind.NOTICE, m, -1, 0);
      }
    }
    queue.dispatch(now);
  }

  private void notice(Machine m) {
    interruptions++;
    m.state = State.DRAINING;
    double handBackAt = m.interruptAt - scenario.fleet().handBackSeconds();
    events.schedule(Math.max(now, handBackAt), Kind.HAND_BACK, m, -1, 0);
    events.schedule(Math.max(now, m.interruptAt), Kind.GONE, m, -1, 0);
    launch(); // the replacement, at once, as the product does on the notice
  }

  private void autoscale() {
    Autoscaler.Decision d = autoscaler.tick(machines, queue, now);
    for (int n = 0; n < d.launches(); n++) {
      launch();
    }
    for (Machine m : d.removals()) {
      remove(m);
    }
  }

  /** Stops the bill of a machine: terminated, interrupted, or the day is over. */
  private void remove(Machine m) {
    m.state = State.GONE;
    machines.remove(m);
    bill.stop(m, now);
  }
}
