package io.faaspot.api.execution;

import java.time.Duration;

/** A chart's time span and the width of each of its buckets: the console's two views. */
enum ChartRange {
  HOUR(Duration.ofHours(1), Duration.ofMinutes(1)),
  DAY(Duration.ofDays(1), Duration.ofMinutes(10));

  final Duration span;
  final Duration bucket;

  ChartRange(Duration span, Duration bucket) {
    this.span = span;
    this.bucket = bucket;
  }
}
