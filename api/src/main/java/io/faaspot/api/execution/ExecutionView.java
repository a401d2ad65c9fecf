package io.faaspot.api.execution;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.faaspot.scheduler.execution.ExecutionRow;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The execution object of API.md: {@code uuid, name, status, output, created} are what the old
 * client prints; the rest helps people and scripts. {@code output} and {@code args} are JSON as
 * stored (the function's return value, or on failure the error text).
 */
public record ExecutionView(
    UUID uuid,
    String name,
    String status,
    @JsonRawValue String output,
    Instant created,
    String deployment,
    Integer deploymentVersion,
    @JsonRawValue String args,
    Instant started,
    Instant finished,
    Double duration,
    int attempts,
    String logs,
    UUID spot,
    Timings timings) {

  public static ExecutionView of(ExecutionRow r) {
    Double duration =
        r.startedAt() != null && r.finishedAt() != null
            ? Duration.between(r.startedAt(), r.finishedAt()).toNanos() / 1e9
            : null;
    return new ExecutionView(
        r.id(),
        r.kind(),
        r.status().name(),
        r.outputJson(),
        r.createdAt(),
        r.deploymentName(),
        r.deploymentVersion(),
        r.argsJson(),
        r.startedAt(),
        r.finishedAt(),
        duration,
        r.attempts(),
        r.logs(),
        r.spotId(),
        Timings.of(r));
  }
}
