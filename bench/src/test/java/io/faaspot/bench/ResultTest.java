package io.faaspot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ResultTest {
  @TempDir Path dir;

  @Test
  void writesEveryCommonKeyAndLatenciesInMilliseconds() throws Exception {
    Histogram micros = Result.histogram();
    for (int i = 1; i <= 1000; i++) {
      micros.recordValue(i * 1000L); // 1 ms .. 1000 ms
    }
    Result result =
        new Result("sync-latency")
            .put("requests", 1000L)
            .put("errors", 2L)
            .put("throughput_per_s", Result.rate(1000, 2_000_000_000L))
            .put("clients", 1)
            .latency(micros, "request");
    Path out = dir.resolve("sub/result.json");
    result.writeJson(out);

    JsonNode json = Api.JSON.readTree(Files.readString(out));
    List<String> keys = json.propertyNames().stream().toList();
    assertThat(keys).startsWith(Result.COMMON.toArray(String[]::new)).contains("clients");
    assertThat(json.get("scenario").asString()).isEqualTo("sync-latency");
    assertThat(json.get("requests").asLong()).isEqualTo(1000);
    assertThat(json.get("errors").asLong()).isEqualTo(2);
    assertThat(json.get("throughput_per_s").asDouble()).isEqualTo(500.0);
    assertThat(json.get("p50_ms").asDouble()).isBetween(499.0, 501.0);
    assertThat(json.get("p90_ms").asDouble()).isBetween(899.0, 901.0);
    assertThat(json.get("p99_ms").asDouble()).isBetween(989.0, 991.0);
    assertThat(json.get("max_ms").asDouble()).isBetween(999.0, 1001.0);
    assertThat(json.get("mean_ms").asDouble()).isBetween(499.0, 502.0);
    assertThat(json.get("latency_of").asString()).isEqualTo("request");
    assertThat(json.get("submit_rate_per_s").isNull()).isTrue();
    assertThat(json.get("first_ms").isNull()).isTrue();
    assertThat(result.errors()).isEqualTo(2);
    assertThat(result.summary())
        .startsWith("scenario=sync-latency requests=1000 errors=2 throughput_per_s=500.0")
        .doesNotContain("first_ms");
  }

  @Test
  void writesThePercentileDistributionAsCsv() throws Exception {
    Histogram micros = Result.histogram();
    for (int i = 1; i <= 100; i++) {
      micros.recordValue(i * 100L);
    }
    Path csv = dir.resolve("hist.csv");
    new Result("http-floor").latency(micros, "request").writeHistogram(csv);

    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("percentile,value_ms");
    assertThat(lines.size()).isGreaterThan(10);
    double lastPercentile = -1;
    double lastValue = -1;
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      double percentile = Double.parseDouble(cells[0]);
      double value = Double.parseDouble(cells[1]);
      assertThat(percentile).isGreaterThanOrEqualTo(lastPercentile).isLessThanOrEqualTo(100);
      assertThat(value).isGreaterThanOrEqualTo(lastValue);
      lastPercentile = percentile;
      lastValue = value;
    }
    assertThat(lastPercentile).isEqualTo(100.0);
    assertThat(lastValue).isBetween(9.99, 10.01);
  }

  @Test
  void anEmptyHistogramLeavesLatenciesNull() {
    Result result = new Result("cold").latency(Result.histogram(), "request");
    assertThat(result.get("p50_ms")).isNull();
    assertThat(result.histogramCsv()).isEqualTo("percentile,value_ms\n");
  }
}
