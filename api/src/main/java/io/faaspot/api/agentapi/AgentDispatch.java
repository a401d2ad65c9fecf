package io.faaspot.api.agentapi;

import io.faaspot.api.execution.ShutdownSignal;
import io.faaspot.api.spot.AgentIdentity;
import io.faaspot.scheduler.execution.ClaimedExecution;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.ParkedClaims;
import io.faaspot.scheduler.wakeup.Wakeups;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Finds an agent its next calls, waiting for them if there are none: the one loop behind both the
 * HTTP long poll ({@code POST /agent/v1/claim}) and the agent stream. While it waits, the account's
 * next call made on this node is handed to it directly ({@link ParkedClaims}); work signalled
 * otherwise (another node's call, a retry) makes it look in the queue again.
 */
@Component
class AgentDispatch {
  private static final Duration WAIT_SLICE = Duration.ofSeconds(5);
  private static final long HANDOVER_WAIT_SECONDS = 30;

  private final ExecutionQueue queue;
  private final Wakeups wakeups;
  private final ShutdownSignal shutdown;

  AgentDispatch(ExecutionQueue queue, Wakeups wakeups, ShutdownSignal shutdown) {
    this.queue = queue;
    this.wakeups = wakeups;
    this.shutdown = shutdown;
  }

  /** Up to {@code max} calls for the agent's spot; empty once {@code wait} has passed. */
  List<ClaimedExecution> next(AgentIdentity agent, int max, Duration wait)
      throws InterruptedException {
    return next(agent, max, wait, new CompletableFuture<>());
  }

  /** As above; also empty soon after {@code stop} completes (the agent went away). */
  List<ClaimedExecution> next(
      AgentIdentity agent, int max, Duration wait, CompletableFuture<?> stop)
      throws InterruptedException {
    return next(agent, max, wait, stop, new Looked(), false);
  }

  /**
   * What a stream's pump remembers between calls: when its last look in the queue found it short of
   * work, and no work was signalled since, there is nothing queued to look for, so it waits
   * straight away (the calls handed to it meanwhile were never queued). That saves a statement per
   * call on the sync path.
   */
  static final class Looked {
    private CompletableFuture<Void> signalBefore;
  }

  /**
   * {@code reportsHere}: the agent reports these calls on the same connection to this node (its
   * stream), so a call can be handed to it before its insert is committed (see {@link
   * ExecutionQueue#parkReportingHere}).
   */
  List<ClaimedExecution> next(
      AgentIdentity agent,
      int max,
      Duration wait,
      CompletableFuture<?> stop,
      Looked looked,
      boolean reportsHere)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      CompletableFuture<Void> more;
      List<ClaimedExecution> claimed;
      if (looked.signalBefore != null && !looked.signalBefore.isDone()) {
        more = looked.signalBefore;
        claimed = List.of();
      } else {
        // Take the wake-up before looking, so work enqueued in between is not slept through.
        more = wakeups.nextWorkFor(agent.accountId());
        claimed = queue.claim(agent.accountId(), agent.spotId(), max);
        looked.signalBefore = claimed.size() < max ? more : null;
      }
      long left = deadline - System.nanoTime();
      if (!claimed.isEmpty() || left <= 0 || shutdown.stopping() || stop.isDone()) {
        return claimed;
      }
      ParkedClaims.ParkedClaim parked =
          reportsHere
              ? queue.parkReportingHere(agent.accountId(), agent.spotId())
              : queue.park(agent.accountId(), agent.spotId());
      boolean interrupted = false;
      try {
        CompletableFuture.anyOf(parked.given(), more, stop)
            .get(Math.min(left, WAIT_SLICE.toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // Look again.
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (parked.withdraw()) {
        if (interrupted) {
          throw new InterruptedException();
        }
        continue;
      }
      // An enqueuer took this poll: it settles it as soon as its statement returns, and the call
      // must not be lost with this poll, interrupted or not.
      List<ClaimedExecution> given = handedOver(parked);
      if (interrupted) {
        Thread.currentThread().interrupt();
        return given;
      }
      if (!given.isEmpty()) {
        return given;
      }
    }
  }

  private static List<ClaimedExecution> handedOver(ParkedClaims.ParkedClaim parked) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANDOVER_WAIT_SECONDS);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return parked.given().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (TimeoutException | ExecutionException e) {
          return List.of();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
