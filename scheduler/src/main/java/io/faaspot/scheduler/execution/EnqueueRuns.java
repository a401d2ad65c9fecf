package io.faaspot.scheduler.execution;

import io.faaspot.scheduler.execution.ExecutionQueue.EnqueuedRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Group commit of function calls: calls made at the same moment share one statement and one commit
 * ({@link InsertRuns}). A caller that finds no insert running inserts its own call and every call
 * queued with it, so a lone call waits for nobody. Calls made while that statement runs queue up
 * and are woken when it ends; one of them then inserts them all in the next statement.
 */
final class EnqueueRuns {
  private static final int RUN_BATCH = 256;

  private final InsertRuns insert;
  private final Duration followerRecheck;
  private final ConcurrentLinkedQueue<RunRequest> runRequests = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean insertingRuns = new AtomicBoolean();
  private final AtomicReference<CompletableFuture<Void>> runRound =
      new AtomicReference<>(new CompletableFuture<>());

  /** {@code followerRecheck}: see {@link ExecutionQueue}'s constructor. */
  EnqueueRuns(InsertRuns insert, Duration followerRecheck) {
    this.insert = insert;
    this.followerRecheck = followerRecheck;
  }

  Optional<EnqueuedRun> enqueueRun(
      UUID id, long accountId, String deploymentName, String argsJson, int maxAttempts) {
    RunRequest mine =
        new RunRequest(
            id, accountId, deploymentName, argsJson == null ? "{}" : argsJson, maxAttempts);
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      // Inside a caller's transaction the row is invisible to the agent until commit, so a call
      // handed over before that could not be reported; and it must be in that transaction.
      insert.insertRuns(List.of(mine), false);
      return mine.outcome.join();
    }
    runRequests.add(mine);
    boolean interrupted = false;
    while (!mine.outcome.isDone()) {
      // Read before the flag: the round that ends after this caller saw an insert in progress.
      CompletableFuture<Void> round = runRound.get();
      if (insertingRuns.compareAndSet(false, true)) {
        try {
          List<RunRequest> batch = new ArrayList<>();
          RunRequest r;
          while (batch.size() < RUN_BATCH && (r = runRequests.poll()) != null) {
            batch.add(r);
          }
          if (!batch.isEmpty()) {
            insert.insertRuns(batch, true);
          }
        } catch (RuntimeException e) {
          // Each call of that batch has its failure; this caller's own call may be in another.
        } finally {
          insertingRuns.set(false);
          // Calls that came while this statement ran wait for it: one of them leads the next.
          runRound.getAndSet(new CompletableFuture<>()).complete(null);
        }
      } else {
        try {
          // Another caller's statement carries this call, or, once it ends, the next one will.
          CompletableFuture.anyOf(mine.outcome, round)
              .get(followerRecheck.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // Look again, and take the lead if nobody has it.
        } catch (InterruptedException e) {
          // The call is in the queue: see it settled, then pass the interrupt on.
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    try {
      return mine.outcome.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  /** Calls waiting for a caller's insert to carry them (for tests). */
  int waitingRuns() {
    return runRequests.size();
  }
}
