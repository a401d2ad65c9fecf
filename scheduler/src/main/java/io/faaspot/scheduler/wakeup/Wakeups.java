package io.faaspot.scheduler.wakeup;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * In-process wake-ups: "an account has new work" for long-polling agents, and "an execution
 * finished" for sync waiters. A waiter takes the future <em>before</em> it looks at the database,
 * so a signal that arrives between its look and its wait is never lost. Signals from other server
 * nodes arrive through {@link PostgresNotificationListener}.
 */
public final class Wakeups {
  private final String nodeId = UUID.randomUUID().toString();
  private final ConcurrentHashMap<Long, CompletableFuture<Void>> work = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UUID, CompletableFuture<Done>> done = new ConcurrentHashMap<>();

  /**
   * How an execution ended, when the node that recorded it knows (it just wrote it): the waiter
   * answers from it without reading the row back. A wake-up without it ({@code null}) means "look".
   *
   * @param status the final status's name
   * @param outputJson the output as JSON text
   */
  public record Done(String status, String outputJson) {}

  /**
   * Whether other server nodes listen on the same database, so that statements must NOTIFY them.
   * True until {@link PostgresNotificationListener} has looked: a single node then skips NOTIFY.
   */
  private volatile boolean peers = true;

  public boolean peers() {
    return peers;
  }

  void peers(boolean present) {
    peers = present;
  }

  /** This process's id in NOTIFY payloads, so that a node skips its own notifications. */
  public String nodeId() {
    return nodeId;
  }

  public CompletableFuture<Void> nextWorkFor(long accountId) {
    return work.computeIfAbsent(accountId, k -> new CompletableFuture<>());
  }

  public CompletableFuture<Done> completionOf(UUID executionId) {
    return done.computeIfAbsent(executionId, k -> new CompletableFuture<>());
  }

  /** Whether a caller on this node waits for the execution to finish (a sync call). */
  public boolean awaited(UUID executionId) {
    return done.containsKey(executionId);
  }

  /** A waiter that gave up drops its future so the map does not grow. */
  public void forget(UUID executionId, CompletableFuture<Done> future) {
    done.remove(executionId, future);
  }

  public void signalWork(long accountId) {
    afterCommit(() -> complete(work.remove(accountId)));
  }

  public void signalDone(UUID executionId) {
    afterCommit(() -> complete(done.remove(executionId)));
  }

  /** The execution finished as {@code how}; a waiter on this node needs not read it back. */
  public void signalDone(UUID executionId, Done how) {
    afterCommit(
        () -> {
          CompletableFuture<Done> f = done.remove(executionId);
          if (f != null) {
            f.complete(how);
          }
        });
  }

  /** After a lost database connection: every waiter re-checks, since notifications may be lost. */
  public void wakeEveryone() {
    work.keySet().forEach(k -> complete(work.remove(k)));
    done.keySet().forEach(k -> complete(done.remove(k)));
  }

  private static void complete(CompletableFuture<?> future) {
    if (future != null) {
      future.complete(null);
    }
  }

  /**
   * Inside a transaction the row is not visible to others until commit: a waiter woken earlier
   * would look, find nothing and sleep through the work. So signal after commit.
   */
  private static void afterCommit(Runnable signal) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              signal.run();
            }
          });
    } else {
      signal.run();
    }
  }
}
