package io.faaspot.scheduler.execution;

import io.faaspot.scheduler.wakeup.Wakeups;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.IntConsumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What every part of the {@link ExecutionQueue} works with: the database, the clock, the wake-ups
 * of this node and of its peers, the settings, the claim floors that inserts, claims and requeues
 * all move, and what times the hot writes ({@link QueueWrites}).
 */
record QueueContext(
    JdbcClient jdbc,
    Clock clock,
    Wakeups wakeups,
    QueueSettings settings,
    ClaimFloors floors,
    QueueWrites writes) {

  /**
   * A statement that sends its own NOTIFY on {@code channel}: its {@code :channel}, {@code :node}
   * and {@code :notify} are set (it notifies only while other nodes share the database).
   */
  JdbcClient.StatementSpec sqlNotifying(String sql, String channel) {
    return jdbc.sql(sql)
        .param("channel", channel)
        .param("node", wakeups.nodeId())
        .param("notify", wakeups.peers());
  }

  /**
   * {@code write}, begun at {@code startNanos} ({@link System#nanoTime()}), is done: timed unless
   * it ran in a caller's transaction, whose commit is still to come.
   */
  void wrote(QueueWrites.Write write, long startNanos) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      writes.took(write, System.nanoTime() - startNanos);
    }
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /**
   * Runs {@code then} with how the current transaction ended (a {@link TransactionSynchronization}
   * status), once it has; at once, as committed, if there is none: a statement outside one has
   * committed when it returns.
   */
  static void afterTransaction(IntConsumer then) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      then.accept(TransactionSynchronization.STATUS_COMMITTED);
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            then.accept(status);
          }
        });
  }
}
