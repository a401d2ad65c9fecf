package io.faaspot.agent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * The runners: one platform thread per worker slot in use, taking the {@link Intake}'s waiting
 * calls one after another until none is left, and handing on each result. A runner reads its
 * worker's answer straight from the pipe, which would pin a virtual thread's carrier. Which call a
 * runner takes, and when it ends, is the intake's to say (under its lock).
 */
final class Runners {
  private final ExecutorService threads =
      Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("call-", 0).factory());

  private final Intake intake;
  private final HeldCalls held;
  private final CallRunner runner;
  private final Consumer<ObjectNode> results;

  Runners(Intake intake, HeldCalls held, CallRunner runner, Consumer<ObjectNode> results) {
    this.intake = intake;
    this.held = held;
    this.runner = runner;
    this.results = results;
  }

  /** Starts {@code n} runners, whose slots the intake counted as busy already. */
  void start(int n) {
    for (int i = 0; i < n; i++) {
      threads.execute(this::runWaiting);
    }
  }

  /**
   * A runner: runs waiting calls one after another on its slot, and ends when none is left (or when
   * the slots were cut below the runners). A call dropped while it waited (cancelled, handed back)
   * is skipped.
   */
  private void runWaiting() {
    while (true) {
      WaitingCall t = intake.nextForRunner();
      if (t == null) {
        return;
      }
      RunningCall r = t.running();
      if (r.abandoned) {
        held.remove(r.id);
        continue;
      }
      try {
        ObjectNode result;
        try {
          result = runner.run(r, t.call());
        } finally {
          intake.free(r);
        }
        if (result != null) {
          results.accept(result);
        }
      } catch (RuntimeException e) {
        Log.warn("a runner failed: %s", e);
      }
    }
  }
}
