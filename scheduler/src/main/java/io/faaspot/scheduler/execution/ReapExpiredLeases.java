package io.faaspot.scheduler.execution;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Takes back the calls of spots that stopped heartbeating; run periodically by every node. */
public final class ReapExpiredLeases {
  private static final Logger log = LoggerFactory.getLogger(ReapExpiredLeases.class);

  private final ExecutionQueue queue;

  public ReapExpiredLeases(ExecutionQueue queue) {
    this.queue = queue;
  }

  /** One pass; returns what it took back. Safe to run on several nodes at once (SKIP LOCKED). */
  public List<ReapedExecution> reapOnce() {
    List<ReapedExecution> reaped = queue.reapExpiredLeases();
    if (!reaped.isEmpty()) {
      long failed = reaped.stream().filter(r -> r.status() == ExecutionStatus.Failure).count();
      log.info(
          "reaper: {} expired lease(s) taken back, {} requeued, {} failed",
          reaped.size(),
          reaped.size() - failed,
          failed);
    }
    return reaped;
  }
}
