package io.faaspot.agent;

import io.faaspot.agent.Lifecycle.State;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Work intake and credit: the calls given to this agent (by a poll's answer or over the stream)
 * wait in arrival order, and {@link Runners} start for them up to the number of worker slots. How
 * many calls the agent holds at most (its {@link Capacity}) is one per worker plus a prefetch sized
 * by the recent run time; room is asked for (a claim, or stream credit) a step at a time.
 *
 * <p>Everything here that counts slots is under one lock ({@code slots}), on which the loops also
 * wait for room.
 */
final class Intake {
  private final Lifecycle lifecycle;
  private final WorkerPool pool;
  private final Capacity capacity;
  private final HeldCalls held;
  private final Runners runners;
  private final KnownDeployments deployments = new KnownDeployments();

  private final Object slots = new Object();

  /** Calls given to this agent and not started yet, in the order they came; under slots. */
  private final ArrayDeque<WaitingCall> waiting = new ArrayDeque<>();

  /** Credit the stream's server side still holds (calls it may send unasked); under slots. */
  private int outstanding;

  /** Runners now, each holding a worker slot; under slots. */
  private int busy;

  Intake(
      Lifecycle lifecycle,
      WorkerPool pool,
      Duration prefetch,
      RunTimes runTimes,
      HeldCalls held,
      CallRunner runner,
      Consumer<ObjectNode> results) {
    this.lifecycle = lifecycle;
    this.pool = pool;
    this.capacity = new Capacity(pool, prefetch, runTimes);
    this.held = held;
    this.runners = new Runners(this, held, runner, results);
  }

  /**
   * Calls given to this agent (a poll's answer or a stream message) wait in arrival order; runners
   * start for them up to the number of worker slots.
   */
  void accept(JsonNode given) {
    for (JsonNode call : given) {
      deployments.fill(call);
    }
    int start;
    synchronized (slots) {
      for (JsonNode call : given) {
        RunningCall r = held.hold(call);
        if (outstanding > 0) {
          outstanding--;
        }
        waiting.add(new WaitingCall(r, call));
      }
      start = runnersWanted();
    }
    runners.start(start);
  }

  /** Waits (while running) until room worth a claim is free; answers how much room there is. */
  int awaitRoom() throws InterruptedException {
    synchronized (slots) {
      while (lifecycle.is(State.RUNNING) && capacity.calls() - held.size() < capacity.grantStep()) {
        slots.wait(1000);
      }
      return capacity.calls() - held.size();
    }
  }

  /** A new stream: the server side holds no credit yet. */
  void resetCredit() {
    synchronized (slots) {
      outstanding = 0;
    }
  }

  /**
   * The credit to grant the stream now, counted as held by the server; 0 (after waiting up to a
   * second for room) while less than a step is free.
   */
  int nextGrant() throws InterruptedException {
    synchronized (slots) {
      int grant = capacity.calls() - held.size() - outstanding;
      if (grant < capacity.grantStep()) {
        slots.wait(1000);
        return 0;
      }
      outstanding += grant;
      return grant;
    }
  }

  /** The worker limits may have changed: start runners for free slots, wake the loops. */
  void limitsChanged() {
    int start;
    synchronized (slots) {
      start = runnersWanted();
      slots.notifyAll();
    }
    runners.start(start);
  }

  /**
   * Drops waiting calls that were abandoned (cancelled, lost, handed back): no runner takes them.
   */
  void dropAbandoned() {
    synchronized (slots) {
      waiting.removeIf(
          t -> {
            if (t.running().abandoned) {
              held.remove(t.running().id);
              return true;
            }
            return false;
          });
      slots.notifyAll();
    }
  }

  /** Wakes whatever waits for room (the state changed). */
  void wake() {
    synchronized (slots) {
      slots.notifyAll();
    }
  }

  /** The agent stopped: no waiting call is started. */
  void stopped() {
    synchronized (slots) {
      waiting.clear();
      slots.notifyAll();
    }
  }

  /**
   * Under slots: how many runners to start now, counted as busy already. Runners that are running
   * calls take the waiting ones as they finish, so only free slots get new runners.
   */
  private int runnersWanted() {
    if (lifecycle.is(State.STOPPED)) {
      return 0;
    }
    int start = Math.max(0, Math.min(waiting.size(), pool.maxWorkers() - busy));
    busy += start;
    return start;
  }

  /**
   * The next waiting call for a runner, or null when the runner is to end (none is left, the agent
   * stopped, or the slots were cut below the runners): its slot is then free.
   */
  WaitingCall nextForRunner() {
    synchronized (slots) {
      WaitingCall t =
          lifecycle.is(State.STOPPED) || busy > pool.maxWorkers() ? null : waiting.poll();
      if (t == null) {
        busy--;
        slots.notifyAll();
      }
      return t;
    }
  }

  /** A call is done with its slot: room is granted again once a step of it is free. */
  void free(RunningCall r) {
    held.remove(r.id);
    synchronized (slots) {
      if (capacity.calls() - held.size() - outstanding >= capacity.grantStep()) {
        slots.notifyAll();
      }
    }
  }
}
