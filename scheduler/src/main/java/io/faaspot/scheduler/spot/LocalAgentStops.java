package io.faaspot.scheduler.spot;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Stopping local agent processes the way their protocol expects: SIGTERM first, so that an agent
 * finishes or hands back its calls and exits, and SIGKILL only once it had its time.
 */
final class LocalAgentStops {
  /** How long an agent has to stop when the server itself stops. */
  private static final Duration AT_CLOSE = Duration.ofSeconds(10);

  private LocalAgentStops() {}

  /** SIGTERM: the agent finishes or hands back its calls, then exits; SIGKILL after the wait. */
  static void stop(ProcessHandle h, Duration wait) {
    h.destroy();
    try {
      h.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      h.destroyForcibly();
    }
  }

  /** All at once when the server stops: every agent is told first, then each one waited for. */
  static void stopAll(Collection<Process> started, Collection<ProcessHandle> adopted) {
    adopted.forEach(ProcessHandle::destroy);
    started.forEach(Process::destroy);
    for (Process p : started) {
      try {
        if (!p.waitFor(AT_CLOSE.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    for (ProcessHandle h : adopted) {
      stop(h, AT_CLOSE);
    }
  }
}
