package io.faaspot.scheduler.execution;

import java.util.UUID;

/** An execution whose lease was taken back: now Pending again, or Failure past its attempts. */
public record ReapedExecution(UUID id, long accountId, ExecutionStatus status) {}
