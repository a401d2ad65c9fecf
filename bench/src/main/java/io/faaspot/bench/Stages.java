package io.faaspot.bench;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/**
 * Where the time went, from the finished executions' own records: each numeric field of their
 * {@code timings} object (milliseconds per stage, as the server reports them) summarised, and the
 * server's span from the first {@code created} to the last {@code finished}.
 */
final class Stages {
  private final Map<String, Histogram> micros = new TreeMap<>();
  private Instant firstCreated;
  private Instant lastFinished;
  private long executions;

  synchronized void add(JsonNode execution) {
    executions++;
    JsonNode timings = execution.get("timings");
    if (timings != null && timings.isObject()) {
      for (var e : timings.properties()) {
        if (e.getValue().isNumber()) {
          long us = Math.max(0, Math.round(e.getValue().asDouble() * 1000));
          micros.computeIfAbsent(e.getKey(), k -> Result.histogram()).recordValue(us);
        }
      }
    }
    Instant created = instant(execution.get("created"));
    Instant finished = instant(execution.get("finished"));
    if (created != null && (firstCreated == null || created.isBefore(firstCreated))) {
      firstCreated = created;
    }
    if (finished != null && (lastFinished == null || finished.isAfter(lastFinished))) {
      lastFinished = finished;
    }
  }

  /** Adds {@code stages}: per stage, its count and milliseconds at p50, p99, max and mean. */
  synchronized void reportStages(Result result) {
    Map<String, Object> stages = new LinkedHashMap<>();
    micros.forEach(
        (name, h) -> {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("count", h.getTotalCount());
          s.put("p50_ms", h.getValueAtPercentile(50) / 1000.0);
          s.put("p99_ms", h.getValueAtPercentile(99) / 1000.0);
          s.put("max_ms", h.getMaxValue() / 1000.0);
          s.put("mean_ms", Math.round(h.getMean()) / 1000.0);
          stages.put(name, s);
        });
    result.put("stages", stages);
    result.put("stages_executions", executions);
  }

  /**
   * Adds the server's span (first created to last finished) and {@code succeeded} over it: the
   * completion rate by the server's clock, free of the poller's delays.
   */
  synchronized void reportSpan(Result result, long succeeded) {
    if (firstCreated != null && lastFinished != null && lastFinished.isAfter(firstCreated)) {
      long nanos = java.time.Duration.between(firstCreated, lastFinished).toNanos();
      result.put("server_span_s", nanos / 1e9);
      if (succeeded > 0) {
        result.put("completion_rate_server_per_s", Result.rate(succeeded, nanos));
      }
    }
  }

  private static Instant instant(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      return Instant.ofEpochMilli(Math.round(node.asDouble() * 1000));
    }
    try {
      return Instant.parse(node.asString());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
