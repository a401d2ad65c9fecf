package io.faaspot.scheduler.execution;

import java.time.Instant;
import java.util.UUID;

/** One call handed to an agent: the execution, its attempt and the deployment version to run. */
public record ClaimedExecution(
    UUID id,
    String kind,
    int attempt,
    Instant leaseExpiresAt,
    String argsJson,
    Long deploymentId,
    String deploymentName,
    Integer deploymentVersion,
    String code,
    String requirements,
    String context,
    String requirementsHash,
    Integer timeoutSeconds) {}
