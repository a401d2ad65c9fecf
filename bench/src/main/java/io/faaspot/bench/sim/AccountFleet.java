package io.faaspot.bench.sim;

import io.faaspot.bench.sim.FleetEvents.Kind;
import io.faaspot.bench.sim.Machine.State;
import java.util.List;

/**
 * An account's machines through their lives, and the bill they run up: a spot launched becomes
 * ready after its launch delay (or is up when the day begins); on an interruption's notice it stops
 * taking work and its replacement is launched at once; it goes at the interruption, or when the
 * autoscaler removes it. {@link FleetRun} says when each event comes; this says what it does to the
 * machines.
 */
final class AccountFleet {
  private final Scenario scenario;
  private final Strategy strategy;
  private final SpotDraws draws;
  private final List<Machine> machines; // not gone, in launch order
  private final FleetEvents events;
  private final AccountQueue queue;
  private final Bill bill;
  private long interruptions;
  private long launches;

  AccountFleet(
      Scenario scenario,
      Strategy strategy,
      int account,
      List<Machine> machines,
      FleetEvents events,
      AccountQueue queue) {
    this.scenario = scenario;
    this.strategy = strategy;
    this.draws = new SpotDraws(scenario, strategy, account);
    this.machines = machines;
    this.events = events;
    this.queue = queue;
    this.bill = new Bill(scenario.fleet().billingMinimumSeconds());
  }

  /** The one on-demand machine, up when the day begins. */
  void startOnDemand(int vcpus) {
    Machine machine = new Machine(vcpus, scenario.prices().onDemandPerHour(vcpus), 0);
    machines.add(machine);
    ready(machine, 0);
  }

  /** A spot that is up when the day begins. */
  void startSpot() {
    Machine m = newSpot(0);
    machines.add(m);
    ready(m, 0);
  }

  void launch(double now) {
    Machine m = newSpot(now);
    machines.add(m);
    events.schedule(now + draws.launchDelay(), Kind.READY, m, -1, 0);
  }

  private Machine newSpot(double now) {
    launches++;
    return new Machine(scenario.fleet().spotWorkers(), scenario.prices().spotPerHour(), now);
  }

  void ready(Machine m, double now) {
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

  void notice(Machine m, double now) {
    interruptions++;
    m.state = State.DRAINING;
    double handBackAt = m.interruptAt - scenario.fleet().handBackSeconds();
    events.schedule(Math.max(now, handBackAt), Kind.HAND_BACK, m, -1, 0);
    events.schedule(Math.max(now, m.interruptAt), Kind.GONE, m, -1, 0);
    launch(now); // the replacement, at once, as the product does on the notice
  }

  void autoscale(Autoscaler autoscaler, double now) {
    Autoscaler.Decision d = autoscaler.tick(machines, queue, now);
    for (int n = 0; n < d.launches(); n++) {
      launch(now);
    }
    for (Machine m : d.removals()) {
      remove(m, now);
    }
  }

  /** Stops the bill of a machine: terminated, interrupted, or the day is over. */
  void remove(Machine m, double now) {
    m.state = State.GONE;
    machines.remove(m);
    bill.stop(m, now);
  }

  void removeAll(double now) {
    for (Machine m : List.copyOf(machines)) {
      remove(m, now);
    }
  }

  /** One account's day under this fleet, from its calls' runs. */
  AccountOutcome outcome(long calls, CallRuns runs) {
    return AccountOutcome.of(strategy, calls, runs, interruptions, launches, bill);
  }
}
