package io.faaspot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/** Executions submitted asynchronously (one call each, or in bulk), then awaited to Success. */
final class AsyncScenarios {
  private AsyncScenarios() {}

  /** {@code n} {@code POST rpc/} calls from {@code clients} threads, as fast as they answer. */
  static Result async(Api api, String deployment, int n, int clients, Duration timeout)
      throws InterruptedException {
    String path = "/api/deployments/" + deployment + "/rpc/";
    String[] ids = new String[n];
    Errors errors = new Errors();
    AtomicInteger next = new AtomicInteger();
    List<Histogram> perClient = new ArrayList<>();
    long cpuStart = ProcessCpu.nanos();
    long start = System.nanoTime();
    ClientThreads.run(
        clients,
        () -> {
          Histogram micros = Result.histogram();
          synchronized (perClient) {
            perClient.add(micros);
          }
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            long t0 = System.nanoTime();
            try {
              Response r = api.post(path, "{\"n\": \"" + i + "\"}");
              if (r.ok() && r.json().isString()) {
                ids[i] = r.json().asString();
                micros.recordValue((System.nanoTime() - t0) / 1000);
              } else {
                errors.add("submit " + i + ": " + r);
              }
            } catch (Exception e) {
              errors.add("submit " + i, e);
            }
          }
        });
    Histogram all = Result.histogram();
    perClient.forEach(all::add);
    List<String> submitted = Arrays.stream(ids).filter(Objects::nonNull).toList();
    return finish(api, "async", n, start, cpuStart, submitted, timeout)
        .put("clients", clients)
        .latency(all, "submit request");
  }

  /** {@code n} executions through {@code bulk_rpc/}, {@code chunk} per request, one at a time. */
  static Result bulk(Api api, String deployment, int n, int chunk, Duration timeout)
      throws InterruptedException {
    String path = "/api/deployments/" + deployment + "/bulk_rpc/";
    Errors errors = new Errors();
    Histogram micros = Result.histogram();
    List<String> submitted = new ArrayList<>(n);
    // The request bodies are written before the clock starts: making the load is the load
    // generator's work, not the server's.
    List<String> bodies = new ArrayList<>();
    for (int from = 0; from < n; from += chunk) {
      List<Map<String, String>> values = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + chunk); i++) {
        values.add(Map.of("n", Integer.toString(i)));
      }
      bodies.add(Api.JSON.writeValueAsString(values));
    }
    long cpuStart = ProcessCpu.nanos();
    long start = System.nanoTime();
    for (int c = 0; c < bodies.size(); c++) {
      int size = Math.min(n, (c + 1) * chunk) - c * chunk;
      long t0 = System.nanoTime();
      try {
        Response r = api.post(path, bodies.get(c));
        List<String> ids = r.ok() ? ExecutionsJson.strings(r.bytes()) : null;
        if (ids != null && ids.size() == size) {
          submitted.addAll(ids);
          micros.recordValue((System.nanoTime() - t0) / 1000);
        } else {
          errors.add("bulk_rpc of " + size + ": " + r);
        }
      } catch (Exception e) {
        errors.add("bulk_rpc of " + size, e);
      }
    }
    return finish(api, "bulk", n, start, cpuStart, submitted, timeout)
        .put("chunk", chunk)
        .latency(micros, "bulk_rpc request");
  }

  /** Awaits the submitted executions and reports submit and completion rates. */
  private static Result finish(
      Api api,
      String scenario,
      int n,
      long start,
      long cpuStart,
      List<String> submitted,
      Duration timeout)
      throws InterruptedException {
    long submitEnd = System.nanoTime();
    Stages stages = new Stages();
    Errors executionErrors = new Errors();
    Completion.Outcome o = new Completion(api, executionErrors, stages).await(submitted, timeout);
    long notSubmitted = n - submitted.size();
    long completion = o.lastSuccessNanos() - start;
    Result result =
        new Result(scenario)
            .put("requests", (long) n)
            .put("errors", notSubmitted + o.failed() + o.unfinished())
            .put("submit_errors", notSubmitted)
            .put("succeeded", o.succeeded())
            .put("failed", o.failed())
            .put("unfinished", o.unfinished())
            .put("submit_s", (submitEnd - start) / 1e9)
            .put("submit_rate_per_s", Result.rate(submitted.size(), submitEnd - start))
            .put("completion_s", o.succeeded() > 0 ? completion / 1e9 : null)
            .put(
                "completion_rate_per_s",
                o.succeeded() > 0 ? Result.rate(o.succeeded(), completion) : null)
            .put("polls", o.polls());
    if (cpuStart >= 0 && o.cpuNanos() >= 0) {
      // The load generator's own CPU from its first request to the last result seen: what it
      // took from the machine while the server was measured.
      result.put("client_cpu_in_window_s", (o.cpuNanos() - cpuStart) / 1e9);
    }
    result.put("throughput_per_s", result.get("completion_rate_per_s"));
    stages.reportStages(result);
    stages.reportSpan(result, o.succeeded());
    return result;
  }
}
