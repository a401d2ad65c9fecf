package io.faaspot.api.execution;

import io.faaspot.scheduler.execution.ExecutionQueries;
import io.faaspot.scheduler.execution.ExecutionRow;
import io.faaspot.scheduler.execution.ExecutionStatus;
import io.faaspot.scheduler.wakeup.Wakeups;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Waits, on the request's virtual thread, for an execution to finish. The wake-up comes from the
 * completing statement (same node) or its NOTIFY (other node); the row is also re-read every few
 * seconds, so a lost notification costs a little latency, never the answer.
 */
@Component
public class AwaitExecution {
  private static final Duration RECHECK = Duration.ofSeconds(3);

  private final Wakeups wakeups;
  private final ExecutionQueries queries;
  private final ShutdownSignal shutdown;

  AwaitExecution(Wakeups wakeups, ExecutionQueries queries, ShutdownSignal shutdown) {
    this.wakeups = wakeups;
    this.queries = queries;
    this.shutdown = shutdown;
  }

  /**
   * Creates the execution {@code id} with {@code create} and waits for it as {@link #await} does.
   * The wait is registered before the execution exists, so its completion cannot be missed, and is
   * dropped however this ends (a refused create included).
   */
  public Awaited createAndAwait(long accountId, UUID id, Runnable create, Duration max)
      throws InterruptedException {
    CompletableFuture<Wakeups.Done> signal = wakeups.completionOf(id);
    try {
      create.run();
    } catch (RuntimeException e) {
      wakeups.forget(id, signal);
      throw e;
    }
    return await(accountId, id, signal, max);
  }

  /**
   * The execution once final, or as it is when {@code max} has passed. A completion recorded on
   * this node is answered from what it recorded; otherwise the row is read.
   */
  Awaited await(long accountId, UUID id, CompletableFuture<Wakeups.Done> signal, Duration max)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(max);
    CompletableFuture<Wakeups.Done> current = signal;
    try {
      while (true) {
        Duration left = Duration.between(Instant.now(), deadline);
        Duration slice = left.compareTo(RECHECK) < 0 ? left : RECHECK;
        if (!slice.isNegative() && !slice.isZero()) {
          try {
            Wakeups.Done done = current.get(slice.toNanos(), TimeUnit.NANOSECONDS);
            if (done != null) {
              return new Awaited(id, ExecutionStatus.valueOf(done.status()), done.outputJson());
            }
          } catch (TimeoutException | ExecutionException e) {
            // Re-read the row below either way.
          }
        }
        Optional<ExecutionRow> row = queries.find(accountId, id);
        if (row.isEmpty()
            || row.get().status().isFinal()
            || !Instant.now().isBefore(deadline)
            || shutdown.stopping()) {
          ExecutionRow r = row.orElseThrow();
          return new Awaited(r.id(), r.status(), r.outputJson());
        }
        if (current.isDone()) {
          current = wakeups.completionOf(id);
        }
      }
    } finally {
      wakeups.forget(id, current);
    }
  }
}
