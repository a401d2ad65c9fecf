package io.faaspot.agent;

import java.util.UUID;

/** A call given to this agent and not finished: its worker, and whether its result is dropped. */
final class RunningCall {
  final UUID id;
  final int attempt;
  volatile Worker worker;
  volatile boolean abandoned;

  RunningCall(UUID id, int attempt) {
    this.id = id;
    this.attempt = attempt;
  }

  /** Its result is no longer wanted (cancelled, lost, handed back, stopping): its worker dies. */
  void abandon() {
    abandoned = true;
    Worker w = worker;
    if (w != null) {
      w.kill();
    }
  }
}
