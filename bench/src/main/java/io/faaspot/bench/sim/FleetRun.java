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
 * <p>This class holds the day's clock, which comes next, a call or an event; what an event does is
 * the machines' ({@link AccountFleet}) or the queue's ({@link AccountQueue}).
 */
final class FleetRun {
  private final Scenario scenario;
  private final Strategy strategy;
  private final AccountLoad load;
  private final FleetEvents events = new FleetEvents();
  private final AccountQueue queue;
  private final AccountFleet fleet;
  private double now;
  private Autoscaler autoscaler;

  private FleetRun(Scenario scenario, Strategy strategy, AccountLoad load) {
    this.scenario = scenario;
    this.strategy = strategy;
    this.load = load;
    List<Machine> machines = new ArrayList<>(); // not gone, in launch order
    this.queue = new AccountQueue(load, machines, events);
    this.fleet = new AccountFleet(scenario, strategy, load.account(), machines, events, queue);
  }

  static AccountOutcome run(Scenario scenario, Strategy strategy, AccountLoad load) {
    return new FleetRun(scenario, strategy, load).day();
  }

  private AccountOutcome day() {
    Fleet f = scenario.fleet();
    int spotWorkers = f.spotWorkers();
    int peakWorkers = AccountLoad.workersFor(load.peak(), f.targetUtilisation());
    int meanWorkers = AccountLoad.workersFor(load.mean(), f.targetUtilisation());
    int maxSpots = Math.ceilDiv(peakWorkers, spotWorkers);
    switch (strategy.kind()) {
      case ON_DEMAND -> fleet.startOnDemand(Prices.onDemandVcpus(peakWorkers));
      case FIXED_SPOTS -> {
        int spots = strategy.forPeak() ? maxSpots : Math.ceilDiv(meanWorkers, spotWorkers);
        for (int i = 0; i < spots; i++) {
          fleet.startSpot();
        }
      }
      case AUTOSCALED -> {
        int minSpots = Math.min(strategy.minSpots(), maxSpots);
        autoscaler = new Autoscaler(scenario.scaling(), spotWorkers, minSpots, maxSpots);
        for (int i = 0; i < minSpots; i++) {
          fleet.startSpot();
        }
        events.schedule(0, Kind.TICK, null, -1, 0);
      }
    }

    double[] arrivals = load.arrivals();
    CallRuns runs = queue.runs();
    int next = 0;
    int count = arrivals.length;
    while (true) {
      double arrival = next < count ? arrivals[next] : Double.POSITIVE_INFINITY;
      double eventTime = events.nextTime();
      if (runs.completed() == count && Math.min(arrival, eventTime) >= Scenario.DAY_SECONDS) {
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
    now = Math.max(Scenario.DAY_SECONDS, runs.lastFinish());
    fleet.removeAll(now);
    return fleet.outcome(count, runs);
  }

  private void handle(FleetEvents.Event e) {
    Machine m = e.machine();
    switch (e.kind()) {
      case READY -> {
        if (m.state == State.LAUNCHING) {
          fleet.ready(m, now);
        }
      }
      case FINISH -> queue.finish(m, e.call(), e.attempt(), now);
      case NOTICE -> {
        if (m.state == State.READY) {
          fleet.notice(m, now);
        }
      }
      case HAND_BACK -> {
        if (m.state == State.DRAINING) {
          queue.handBack(m, now);
        }
      }
      case GONE -> {
        if (m.state != State.GONE) {
          fleet.remove(m, now);
          queue.dispatch(now);
        }
      }
      case TICK -> {
        fleet.autoscale(autoscaler, now);
        events.schedule(now + scenario.scaling().tickSeconds(), Kind.TICK, null, -1, 0);
      }
    }
  }
}
