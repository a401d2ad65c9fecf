package io.faaspot.scheduler.execution;

import java.time.Instant;
import java.util.UUID;

/** An execution that just reached a final status, as the statement that finished it saw it. */
public record Finished(
    UUID id,
    String kind,
    String deploymentName,
    ExecutionStatus status,
    Instant createdAt,
    Instant finishedAt) {}
