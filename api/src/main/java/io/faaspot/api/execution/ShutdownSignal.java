package io.faaspot.api.execution;

import io.faaspot.scheduler.wakeup.Wakeups;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tells held requests that the server is stopping, before the web server's graceful shutdown waits
 * for them: agents' long polls answer at once (empty) and sync waiters answer with the execution id
 * to poll, instead of holding the shutdown for their full wait.
 */
@Component
public class ShutdownSignal implements SmartLifecycle {
  private final Wakeups wakeups;
  private volatile boolean running;
  private volatile boolean stopping;

  ShutdownSignal(Wakeups wakeups) {
    this.wakeups = wakeups;
  }

  public boolean stopping() {
    return stopping;
  }

  @Override
  public void start() {
    running = true;
    stopping = false;
  }

  @Override
  public void stop() {
    stopping = true;
    running = false;
    wakeups.wakeEveryone();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the web server's graceful shutdown (which runs at DEFAULT_PHASE - 1024). */
  @Override
  public int getPhase() {
    return DEFAULT_PHASE;
  }
}
