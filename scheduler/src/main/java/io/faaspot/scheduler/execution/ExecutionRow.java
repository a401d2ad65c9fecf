package io.faaspot.scheduler.execution;

import java.time.Instant;
import java.util.UUID;

/** An execution as stored. */
public record ExecutionRow(
    UUID id,
    long accountId,
    String kind,
    Long deploymentId,
    String deploymentName,
    Integer deploymentVersion,
    UUID spotId,
    String argsJson,
    ExecutionStatus status,
    String outputJson,
    String logs,
    int attempts,
    int maxAttempts,
    UUID leaseOwner,
    Instant leaseExpiresAt,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant runStartedAt,
    Instant runFinishedAt) {}
