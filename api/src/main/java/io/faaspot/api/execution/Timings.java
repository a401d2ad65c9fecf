package io.faaspot.api.execution;

import io.faaspot.scheduler.execution.ExecutionRow;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a call's time went, in milliseconds: waiting in the queue (created to claimed), dispatch
 * (claimed to the function starting on the spot), the run itself, and reporting (the function's end
 * to the result being recorded). Null where a stage did not happen. The {@code timings} of {@link
 * ExecutionView}.
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
