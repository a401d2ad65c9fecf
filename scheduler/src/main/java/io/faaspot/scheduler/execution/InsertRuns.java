package io.faaspot.scheduler.execution;

import io.faaspot.scheduler.execution.ExecutionQueue.EnqueuedRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.transaction.support.TransactionOperations;

/**
 * A group of function calls ({@link EnqueueRuns}) inserted in one statement ({@link
 * RunInsertStatement}) and settled: a call that goes to an agent's waiting long poll on this node
 * ({@link ParkedClaims}) is inserted already leased to its spot and handed to the poll directly,
 * with no queueing, wake-up and claim; every caller gets its call's id, or its failure.
 */
final class InsertRuns {
  private final QueueContext q;
  private final RunInsertStatement statement;
  private final TransactionOperations tx;
  private final ParkedClaims parked;
  private final UncommittedHandOvers uncommitted;

  InsertRuns(
      QueueContext q,
      TransactionOperations tx,
      ParkedClaims parked,
      UncommittedHandOvers uncommitted) {
    this.q = q;
    this.statement = new RunInsertStatement(q);
    this.tx = tx;
    this.parked = parked;
    this.uncommitted = uncommitted;
  }

  /**
   * Inserts the calls in one statement and settles each: its caller and its waiting agent. With
   * {@code handOver}, a call that goes to a stream's waiting poll is given to it between the
   * statement and its commit; everything else (ids to callers, claim polls, empty answers,
   * wake-ups) follows the commit.
   */
  void insertRuns(List<RunRequest> batch, boolean handOver) {
    for (RunRequest r : batch) {
      r.to = handOver ? parked.take(r.accountId) : null;
    }
    boolean early = batch.stream().anyMatch(r -> r.to != null && r.to.reportsHere);
    long started = System.nanoTime();
    Map<UUID, InsertedRun> rows = new HashMap<>();
    CompletableFuture<Void> commit = new CompletableFuture<>();
    List<UUID> handedEarly = new ArrayList<>();
    try {
      if (early) {
        // The statement, the hand-over, then the commit, which the agent's run overlaps.
        tx.executeWithoutResult(
            status -> {
              rows.putAll(statement.insert(batch));
              handOverBeforeCommit(batch, rows, commit, handedEarly);
            });
      } else {
        rows.putAll(statement.insert(batch));
      }
    } catch (RuntimeException e) {
      for (RunRequest r : batch) {
        if (r.to != null) {
          r.to.give(List.of());
        }
        r.outcome.completeExceptionally(e);
      }
      throw e;
    } finally {
      commit.complete(null);
      uncommitted.ended(handedEarly, commit);
    }
    q.wrote(QueueWrites.Write.INSERT, started);
    Set<Long> woken = new HashSet<>();
    for (RunRequest r : batch) {
      InsertedRun row = rows.get(r.id);
      boolean handed = row != null && row.handed();
      if (r.to != null) {
        // Always settled: with the call, or empty so that the poll looks in the queue again.
        r.to.give(handed ? List.of(row.call()) : List.of());
      }
      if (row != null && !handed && woken.add(r.accountId)) {
        q.wakeups().signalWork(r.accountId);
      }
      r.outcome.complete(
          row == null
              ? Optional.empty()
              : Optional.of(new EnqueuedRun(r.id, row.deploymentId(), handed)));
    }
  }

  /**
   * Gives the calls inserted leased to a stream's poll to it, before the commit: each is first
   * registered with that commit, so that what its agent reports of it waits for the row.
   */
  private void handOverBeforeCommit(
      List<RunRequest> batch,
      Map<UUID, InsertedRun> rows,
      CompletableFuture<Void> commit,
      List<UUID> handedEarly) {
    for (RunRequest r : batch) {
      InsertedRun row = rows.get(r.id);
      if (r.to != null && r.to.reportsHere && row != null && row.handed()) {
        uncommitted.handedOver(r.id, commit);
        handedEarly.add(r.id);
        r.to.give(List.of(row.call()));
        r.to = null;
      }
    }
  }
}
