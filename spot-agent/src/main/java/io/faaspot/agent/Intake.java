package io.faaspot.agent;

import io.faaspot.agent.Lifecycle.State;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Work intake and credit: the calls given to this agent (by a poll's answer or over the stream)
 * wait in arrival order, and runners start for them up to the number of worker slots. How many
 * calls the agent holds at most (its capacity) is one per worker plus a prefetch sized by the
 * recent run time; room is asked for (a claim, or stream credit) a step at a time.
 *
 * <p>Everything here that counts slots is under one lock ({@code slots}), on which the loops also
 * wait for room.
 */
final class Intake {
  /** Most calls taken ahead of free workers, however short they are. */
  static final int MAX_AHEAD = 256;

  /** A call given to this agent that no runner has taken yet. */
  private record Taken(RunningCall running, JsonNode call) {}

  private final Lifecycle lifecycle;
  private final WorkerPool pool;
  private final Duration prefetch;
  private final RunTimes runTimes;
  private final CallRunner runner;
  private final Consumer<ObjectNode> results;
  private final KnownDeployments deployments = new KnownDeployments();
  private final Map<UUID, RunningCall> running = new ConcurrentHashMap<>();

  /**
   * The runners: one platform thread per worker slot in use, taking calls from {@link #waiting} one
   * after another until none is left. A runner reads its worker's answer straight from the pipe,
   * which would pin a virtual thread's carrier.
   */
  private final ExecutorService runners =
      Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("call-", 0).factory());

  private final Object slots = new Object();

  /** Calls given to this agent and not started yet, in the order they came; under slots. */
  private final ArrayDeque<Taken> waiting = new ArrayDeque<>();

  /** Credit the stream's server side still holds (calls it may send unasked); under slots. */
  private int outstanding;

  /** Runners now, each holding a worker slot; under slots. */
  private int busy;

  Intake(
      Lifecycle lifecycle,
      WorkerPool pool,
      Duration prefetch,
      RunTimes runTimes,
      CallRunner runner,
      Consumer<ObjectNode> results) {
    this.lifecycle = lifecycle;
    this.pool = pool;
    this.prefetch = prefetch;
    this.runTimes = runTimes;
    this.runner = runner;
    this.results = results;
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
        UUID id = UUID.fromString(call.get("execution_id").asString());
        RunningCall r = new RunningCall(id, call.get("attempt").asInt());
        running.put(id, r);
        if (outstanding > 0) {
          outstanding--;
        }
        waiting.add(new Taken(r, call));
      }
      start = runnersWanted();
    }
    startRunners(start);
  }

  /** Waits (while running) until room worth a claim is free; answers how much room there is. */
  int awaitRoom() throws InterruptedException {
    synchronized (slots) {
      while (lifecycle.is(State.RUNNING) && capacity() - running.size() < grantStep()) {
        slots.wait(1000);
      }
      return capacity() - running.size();
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
      int grant = capacity() - running.size() - outstanding;
      if (grant < grantStep()) {
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
    startRunners(start);
  }

  /** The ids of the calls this agent holds, for the heartbeat. */
  Collection<UUID> runningIds() {
    return running.keySet();
  }

  boolean idle() {
    return running.isEmpty();
  }

  /** Abandons the call if this agent holds it (see {@link RunningCall#abandon}). */
  boolean abandon(UUID id) {
    RunningCall r = running.get(id);
    if (r == null) {
      return false;
    }
    r.abandon();
    return true;
  }

  /** Abandons every call held; answers their ids. */
  List<UUID> abandonAll() {
    List<UUID> ids = new ArrayList<>();
    running
        .values()
        .forEach(
            r -> {
              r.abandon();
              ids.add(r.id);
            });
    return ids;
  }

  /**
   * Drops waiting calls that were abandoned (cancelled, lost, handed back): no runner takes them.
   */
  void dropAbandoned() {
    synchronized (slots) {
      waiting.removeIf(
          t -> {
            if (t.running().abandoned) {
              running.remove(t.running().id);
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

  private void startRunners(int n) {
    for (int i = 0; i < n; i++) {
      runners.execute(this::runWaiting);
    }
  }

  /**
   * A runner: runs waiting calls one after another on its slot, and ends when none is left (or when
   * the slots were cut below the runners). A call dropped while it waited (cancelled, handed back)
   * is skipped.
   */
  private void runWaiting() {
    while (true) {
      Taken t;
      synchronized (slots) {
        t = lifecycle.is(State.STOPPED) || busy > pool.maxWorkers() ? null : waiting.poll();
        if (t == null) {
          busy--;
          slots.notifyAll();
          return;
        }
      }
      RunningCall r = t.running();
      if (r.abandoned) {
        running.remove(r.id);
        continue;
      }
      try {
        ObjectNode result;
        try {
          result = runner.run(r, t.call());
        } finally {
          free(r);
        }
        if (result != null) {
          results.accept(result);
        }
      } catch (RuntimeException e) {
        Log.warn("a runner failed: %s", e);
      }
    }
  }

  /** A call is done with its slot: room is granted again once a step of it is free. */
  private void free(RunningCall r) {
    running.remove(r.id);
    synchronized (slots) {
      if (capacity() - running.size() - outstanding >= grantStep()) {
        slots.notifyAll();
      }
    }
  }

  /**
   * How many calls this agent holds at most: one per worker, plus as many more as its workers get
   * through in the prefetch time at the recent run time (none until a call has been timed).
   */
  private int capacity() {
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
  private int grantStep() {
    return Math.max(1, capacity() / 4);
  }
}
