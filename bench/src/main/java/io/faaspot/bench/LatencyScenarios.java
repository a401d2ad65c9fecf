package io.faaspot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/** Request/response latency: one client in sequence, or several for a fixed time. */
final class LatencyScenarios {
  /** One call with argument {@code i}; answers whether it succeeded. */
  interface Call {
    boolean run(int i, Errors errors);
  }

  private LatencyScenarios() {}

  /** The sync call of an echo deployment, checked to answer the argument it was given. */
  static Call sync(Api api, String deployment) {
    String prefix = "/api/sync/deployments/" + deployment + "/rpc/?n=";
    return (i, errors) -> {
      try {
        Api.Response r = api.get(prefix + i);
        if (r.ok() && r.body().contains("\"" + i + "\"")) {
          return true;
        }
        errors.add("sync call " + i + ": " + r);
      } catch (Exception e) {
        errors.add("sync call " + i, e);
      }
      return false;
    };
  }

  /** A GET of the floor server's root; any 200 is a success. */
  static Call floor(Api api) {
    return (i, errors) -> {
      try {
        Api.Response r = api.get("/?n=" + i);
        if (r.ok()) {
          return true;
        }
        errors.add("floor call " + i + ": " + r);
      } catch (Exception e) {
        errors.add("floor call " + i, e);
      }
      return false;
    };
  }

  /** {@code warmup} calls, then {@code n} timed ones, one after another. */
  static Result sequential(String scenario, Call call, int warmup, int n) {
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
  static Result load(String scenario, Call call, int warmup, int clients, Duration duration)
      throws InterruptedException {
    Errors warmupErrors = new Errors();
    AtomicInteger warm = new AtomicInteger();
    run(
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
    run(
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

  /** Runs {@code body} on {@code threads} platform threads and waits for all of them. */
  static void run(int threads, Runnable body) throws InterruptedException {
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      started.add(Thread.ofPlatform().name("bench-client-" + t).start(body));
    }
    for (Thread t : started) {
      t.join();
    }
  }
}
