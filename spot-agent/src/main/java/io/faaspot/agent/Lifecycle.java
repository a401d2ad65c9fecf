package io.faaspot.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The agent's lifecycle, its one state machine: STARTING (registering) → RUNNING (claiming) →
 * DRAINING (no new work; running calls finish) → STOPPED. {@link #ALLOWED} is the table of
 * transitions and {@link #moveTo} the one method that enforces it; what a transition sets off
 * (waking the intake, stopping the workers) is registered with it by the agent.
 */
final class Lifecycle {
  enum State {
    STARTING,
    RUNNING,
    DRAINING,
    STOPPED
  }

  /** Where each state may go. A stop may come at any time; nothing leaves STOPPED. */
  static final Map<State, Set<State>> ALLOWED =
      Map.of(
          State.STARTING, Set.of(State.RUNNING, State.STOPPED),
          State.RUNNING, Set.of(State.DRAINING, State.STOPPED),
          State.DRAINING, Set.of(State.STOPPED),
          State.STOPPED, Set.of());

  private volatile State state = State.STARTING;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<Runnable> onDrain = new ArrayList<>();
  private final List<Runnable> onStop = new ArrayList<>();

  State state() {
    return state;
  }

  boolean is(State s) {
    return state == s;
  }

  /** Moves to {@code next} if the table allows it from the current state; false if not. */
  synchronized boolean moveTo(State next) {
    if (!ALLOWED.get(state).contains(next)) {
      return false;
    }
    state = next;
    return true;
  }

  /** What a drain and a stop set off (registered once, at start-up). */
  void onDrain(Runnable r) {
    onDrain.add(r);
  }

  void onStop(Runnable r) {
    onStop.add(r);
  }

  /** A running agent takes no new work; its running calls finish. */
  void drain(String why) {
    if (moveTo(State.DRAINING)) {
      Log.info("draining: %s", why);
      onDrain.forEach(Runnable::run);
    }
  }

  /** The agent stops at once: its calls are abandoned and its workers stopped. */
  void stop(String why) {
    if (moveTo(State.STOPPED)) {
      Log.info("stopping: %s", why);
      onStop.forEach(Runnable::run);
      stopped.countDown();
    }
  }

  void awaitStopped() throws InterruptedException {
    stopped.await();
  }
}
