package io.faaspot.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A scenario's figures. Every run's JSON has the same common keys (null where a scenario has no
 * such figure), then the scenario's own. Latencies are recorded in microseconds and reported in
 * milliseconds.
 */
final class Result {
  static final List<String> COMMON =
      List.of(
          "scenario",
          "requests",
          "errors",
          "throughput_per_s",
          "p50_ms",
          "p90_ms",
          "p99_ms",
          "p999_ms",
          "max_ms",
          "mean_ms",
          "latency_of",
          "submit_rate_per_s",
          "completion_rate_per_s",
          "first_ms",
          "second_ms");

  private final Map<String, Object> fields = new LinkedHashMap<>();
  private Histogram latency;

  Result(String scenario) {
    COMMON.forEach(k -> fields.put(k, null));
    fields.put("scenario", scenario);
    fields.put("requests", 0L);
    fields.put("errors", 0L);
  }

  /** A new microsecond histogram, three significant digits, resizing itself. */
  static Histogram histogram() {
    return new Histogram(3);
  }

  Result put(String key, Object value) {
    fields.put(key, value instanceof Double d ? round(d) : value);
    return this;
  }

  /** Sets the latency figures from {@code micros}; {@code of} says what was timed. */
  Result latency(Histogram micros, String of) {
    this.latency = micros;
    put("latency_of", of);
    if (micros.getTotalCount() == 0) {
      return this;
    }
    put("p50_ms", ms(micros.getValueAtPercentile(50)));
    put("p90_ms", ms(micros.getValueAtPercentile(90)));
    put("p99_ms", ms(micros.getValueAtPercentile(99)));
    put("p999_ms", ms(micros.getValueAtPercentile(99.9)));
    put("max_ms", ms(micros.getMaxValue()));
    put("mean_ms", micros.getMean() / 1000.0);
    return this;
  }

  /** {@code count} per second over {@code nanos}. */
  static double rate(long count, long nanos) {
    return nanos <= 0 ? 0 : count * 1e9 / nanos;
  }

  Object get(String key) {
    return fields.get(key);
  }

  long errors() {
    return ((Number) fields.get("errors")).longValue();
  }

  Map<String, Object> fields() {
    return Collections.unmodifiableMap(fields);
  }

  String json() {
    return Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(fields);
  }

  void writeJson(Path file) {
    write(file, json() + "\n");
  }

  /** One line: the non-null plain figures (not the nested ones such as {@code stages}). */
  String summary() {
    return fields.entrySet().stream()
        .filter(e -> e.getValue() instanceof Number || e.getValue() instanceof String)
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  /**
   * The distribution as {@code percentile,value_ms} lines, at HdrHistogram's percentile iteration
   * points (five ticks per halving of the distance to 100%), as {@code
   * outputPercentileDistribution} prints them.
   */
  String histogramCsv() {
    var csv = new StringBuilder("percentile,value_ms\n");
    if (latency != null && latency.getTotalCount() > 0) {
      for (HistogramIterationValue v : latency.percentiles(5)) {
        csv.append(String.format(java.util.Locale.ROOT, "%.6f", v.getPercentileLevelIteratedTo()))
            .append(',')
            .append(String.format(java.util.Locale.ROOT, "%.3f", v.getValueIteratedTo() / 1000.0))
            .append('\n');
      }
    }
    return csv.toString();
  }

  void writeHistogram(Path file) {
    write(file, histogramCsv());
  }

  private static void write(Path file, String text) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  private static double round(double d) {
    return Math.round(d * 1000) / 1000.0;
  }
}
