package io.faaspot.api.execution;

import io.faaspot.scheduler.execution.ExecutionStatus;
import java.util.UUID;

/**
 * How a wait for an execution ({@link AwaitExecution}) ended: the final status and output, or the
 * status it still had when the wait ran out.
 */
public record Awaited(UUID id, ExecutionStatus status, String outputJson) {}
