package io.faaspot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Request/response latency: one client in sequence, or several for a fixed time, each making the
 * same {@link LatencyCall} with a new argument.
 */
final class LatencyScenarios {
  private LatencyScenarios() {}

  /** {@code warmup} calls, then {@code n} timed ones, one after another. */
  static Result sequential(String scenario, LatencyCall call, int warmup, int n) {
    Errors warmupErrors = new Errors();
    for (int i = 0; i < warmup; i++) {
      call.run(-1 - i, warmupErrors);
    }
    Histogram micros = Result.histogram();
    Errors errors = new Errors();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      if (call.run(i, errors)) {
        micros.recordValue((System.nanoTime() - t0) / 1000);
      }
    }
    long elapsed = System.nanoTime() - start;
    return new Result(scenario)
        .put("requests", (long) n)
        .put("errors", errors.count())
        .put("warmup", warmup)
        .put("warmup_errors", warmupErrors.count())
        .put("clients", 1)
        .put("elapsed_s", elapsed / 1e9)
        .put("throughput_per_s", Result.rate(micros.getTotalCount(), elapsed))
        .latency(micros, "request");
  }

  /**
   * {@code clients} threads calling back to back for {@code duration} after {@code warmup} calls
   * spread over them; calls in flight at the end are finished and counted.
   */
  static Result load(String scenario, LatencyCall call, int warmup, int clients, Duration duration)
      throws InterruptedException {
    Errors warmupErrors = new Errors();
    AtomicInteger warm = new AtomicInteger();
    ClientThreads.run(
        clients,
        () -> {
          for (int i = warm.getAndIncrement(); i < warmup; i = warm.getAndIncrement()) {
            call.run(-1 - i, warmupErrors);
          }
        });

    Errors errors = new Errors();
    AtomicInteger next = new AtomicInteger();
    List<Histogram> perClient = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      perClient.add(Result.histogram());
    }
    AtomicInteger clientIds = new AtomicInteger();
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    ClientThreads.run(
        clients,
        () -> {
          Histogram micros = perClient.get(clientIds.getAndIncrement());
          while (System.nanoTime() < deadline) {
            int i = next.getAndIncrement();
            long t0 = System.nanoTime();
            if (call.run(i, errors)) {
              micros.recordValue((System.nanoTime() - t0) / 1000);
            }
          }
        });
    long elapsed = System.nanoTime() - start;
    Histogram all = Result.histogram();
    perClient.forEach(all::add);
    return new Result(scenario)
        .put("requests", (long) next.get())
        .put("errors", errors.count())
        .put("warmup", warmup)
        .put("warmup_errors", warmupErrors.count())
        .put("clients", clients)
        .put("seconds", duration.toSeconds())
        .put("elapsed_s", elapsed / 1e9)
        .put("throughput_per_s", Result.rate(all.getTotalCount(), elapsed))
        .latency(all, "request");
  }
}
