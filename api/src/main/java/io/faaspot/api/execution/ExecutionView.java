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

  /**
   * Where a call's time went, in milliseconds: waiting in the queue (created to claimed), dispatch
   * (claimed to the function starting on the spot), the run itself, and reporting (the function's
   * end to the result being recorded). Null where a stage did not happen.
   */
  public record Timings(Double queuedMs, Double dispatchMs, Double runMs, Double reportMs) {
    static Timings of(ExecutionRow r) {
      if (r.runStartedAt() == null) {
        return null;
      }
      return new Timings(
          ms(r.createdAt(), r.startedAt()),
          ms(r.startedAt(), r.runStartedAt()),
          ms(r.runStartedAt(), r.runFinishedAt()),
          ms(r.runFinishedAt(), r.finishedAt()));
    }

    private static Double ms(Instant from, Instant to) {
      return from == null || to == null ? null : Duration.between(from, to).toNanos() / 1e6;
    }
  }

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
