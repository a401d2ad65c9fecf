package io.faaspot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void defaults() {
    Options o = Options.parse("--scenario", "sync-latency", "--url", "http://127.0.0.1:8080/");
    assertThat(o.scenario()).isEqualTo("sync-latency");
    assertThat(o.url()).isEqualTo("http://127.0.0.1:8080");
    assertThat(o.token()).isNull();
    assertThat(o.deployment()).isEqualTo("echo");
    assertThat(o.warmup()).isEqualTo(200);
    assertThat(o.requests()).isEqualTo(2000);
    assertThat(o.clients()).isEqualTo(8);
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(o.count()).isEqualTo(20000);
    assertThat(o.chunk()).isEqualTo(1000);
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(o.requirements()).isEqualTo("six");
    assertThat(o.freshEnv()).isFalse();
    assertThat(o.failOnErrors()).isFalse();
    assertThat(o.out()).isNull();
    assertThat(o.histOut()).isNull();
  }

  @Test
  void everyOptionBothSpellings() {
    Options o =
        Options.parse(
            "--scenario=sync-load",
            "--url",
            "https://faas.example.com",
            "--token",
            "fst_x",
            "--deployment=hello",
            "--warmup",
            "0",
            "--requests",
            "5",
            "--clients",
            "32",
            "--seconds",
            "3",
            "--count",
            "7",
            "--chunk",
            "2",
            "--timeout",
            "9",
            "--requirements",
            "requests==2.32.3",
            "--fresh-env",
            "--fail-on-errors",
            "--out",
            "r/sync.json",
            "--hist-out",
            "r/sync.csv");
    assertThat(o)
        .isEqualTo(
            new Options(
                "sync-load",
                "https://faas.example.com",
                "fst_x",
                "hello",
                0,
                5,
                32,
                Duration.ofSeconds(3),
                7,
                2,
                Duration.ofSeconds(9),
                "requests==2.32.3",
                true,
                true,
                Path.of("r/sync.json"),
                Path.of("r/sync.csv")));
  }

  @Test
  void refusesBadInput() {
    String url = "http://localhost:1";
    assertThatThrownBy(() -> Options.parse("--url", url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--scenario");
    assertThatThrownBy(() -> Options.parse("--scenario", "nope", "--url", url))
        .hasMessageContaining("--scenario");
    assertThatThrownBy(() -> Options.parse("--scenario", "cold")).hasMessageContaining("--url");
    assertThatThrownBy(() -> Options.parse("--scenario", "cold", "--url", url, "--clients", "0"))
        .hasMessageContaining("--clients must be at least 1");
    assertThatThrownBy(() -> Options.parse("--scenario", "cold", "--url", url, "--count", "x"))
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> Options.parse("--scenario", "cold", "--url", url, "--bogus", "1"))
        .hasMessageContaining("unknown option(s): --bogus");
    assertThatThrownBy(() -> Options.parse("--scenario", "cold", "--url", url, "--out"))
        .hasMessageContaining("--out needs a value");
    assertThatThrownBy(() -> Options.parse("--scenario", "cold", "--url", url, "stray"))
        .hasMessageContaining("unexpected argument: stray");
  }

  @Test
  void badUsageExitsTwo() {
    assertThat(BenchMain.run("--scenario", "nope")).isEqualTo(2);
  }
}
