package io.faaspot.scheduler.execution;

import java.time.Instant;
import java.util.UUID;

/**
 * The result of one attempt, as an agent reports it. Only the attempt that holds the lease may
 * report: {@code attempt} fences off late results of an earlier attempt.
 *
 * @param outputJson the output as JSON text (a traceback string on failure)
 * @param runStartedAt when the function started on the spot (the agent's clock), if reported
 * @param runFinishedAt when it finished there, if reported
 */
public record Outcome(
    UUID executionId,
    int attempt,
    ExecutionStatus status,
    String outputJson,
    String logs,
    Instant runStartedAt,
    Instant runFinishedAt) {

  public Outcome {
    if (status != ExecutionStatus.Success && status != ExecutionStatus.Failure) {
      throw new IllegalArgumentException("an outcome is Success or Failure, not " + status);
    }
  }
}
