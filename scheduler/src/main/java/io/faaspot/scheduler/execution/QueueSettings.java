package io.faaspot.scheduler.execution;

import java.time.Duration;

/**
 * @param lease how long a claimed call belongs to its spot without a heartbeat
 * @param maxAttempts how many times a call is started before a lost lease ends it in Failure
 * @param reapBatch how many expired leases one reaper pass handles
 */
public record QueueSettings(Duration lease, int maxAttempts, int reapBatch) {
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
