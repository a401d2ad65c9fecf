package io.faaspot.agent;

import io.faaspot.agent.Lifecycle.State;
import java.time.Duration;

/**
 * The trim loop: every few seconds, until the agent stops, retires idle workers past their time
 * ({@link WorkerPool#trim}) and kills the spot uid's stray processes.
 */
final class TrimLoop {
  private final Lifecycle lifecycle;
  private final WorkerPool pool;
  private final Sandbox sandbox;

  TrimLoop(Lifecycle lifecycle, WorkerPool pool, Sandbox sandbox) {
    this.lifecycle = lifecycle;
    this.pool = pool;
    this.sandbox = sandbox;
  }

  void loop() {
    while (!lifecycle.is(State.STOPPED)) {
      try {
        Thread.sleep(Duration.ofSeconds(5));
        pool.trim();
        // Processes a function detached from its worker (a double fork) do not outlive it long.
        sandbox.killStrays();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
