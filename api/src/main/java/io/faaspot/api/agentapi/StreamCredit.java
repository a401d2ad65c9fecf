package io.faaspot.api.agentapi;

import java.util.function.BooleanSupplier;

/**
 * How many more calls an agent's stream may be sent: the agent grants credit, the pump waits for
 * some and spends it. Apart from {@link AgentStream} so that its lock guards this count alone.
 */
final class StreamCredit {
  private int credit;

  synchronized void grant(int more) {
    if (more > 0) {
      credit = (int) Math.min(Integer.MAX_VALUE, (long) credit + more);
      notifyAll();
    }
  }

  /** Waits while the stream is open and has no credit; answers the credit, at most {@code max}. */
  synchronized int await(BooleanSupplier open, int max) throws InterruptedException {
    while (open.getAsBoolean() && credit <= 0) {
      wait(1000);
    }
    return Math.min(credit, max);
  }

  synchronized void spend(int calls) {
    credit -= calls;
  }

  /** The stream closed: a waiting pump looks again now. */
  synchronized void wake() {
    notifyAll();
  }
}
