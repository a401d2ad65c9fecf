package io.faaspot.scheduler.execution;

import java.time.Duration;

/**
 * @param lease how long a claimed call belongs to its spot without a heartbeat
 * @param maxAttempts how many times a call is started before a lost lease ends it in Failure
 * @param reapBatch how many expired leases one reaper pass handles
 * @param syncResultsBeforeFlush whether the result of a call that a caller on this node waits for
 *     (a sync call) is committed without waiting for its flush to disk, so the caller has it about
 *     a flush sooner; if the database then fails before the flush, the call's row is still Started
 *     and is run again, as after a lost spot. Every other result, and every insert, waits.
 */
public record QueueSettings(
    Duration lease, int maxAttempts, int reapBatch, boolean syncResultsBeforeFlush) {
  /** Every commit waits for its flush. */
  public QueueSettings(Duration lease, int maxAttempts, int reapBatch) {
    this(lease, maxAttempts, reapBatch, false);
  }

  public QueueSettings {
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (reapBatch < 1) {
      throw new IllegalArgumentException("reapBatch must be at least 1");
    }
  }
}
